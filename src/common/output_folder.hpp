// The output folder of a run, claimed before any work: a folder that cannot be written, or that another run is
// writing into, is refused at the start instead of after hours of training (two runs in one folder would
// overwrite each other's checkpoints).
#pragma once
#include <string>

namespace xbarcut {

// Refuses an empty path or a path that is a file, creates the folder (and its parents), checks that it is
// writable, and takes an exclusive lock on DIR/.xbarcut.lock held until this process exits. Another process
// holding the lock is refused with its pid. Claiming the same folder again in one process is a no-op. Every
// refusal is one xbarcut::Error line naming the folder and what to do; `flag` names the option in it ("--out").
void claim_output_folder(const std::string& dir, const std::string& flag = "--out");

// For a run that stops with an error: removes each claimed folder that holds nothing but its lock file, with the
// parents the claim created, so a rejected run leaves nothing behind. Folders with any result stay.
void release_unused_output_folders();

}  // namespace xbarcut
