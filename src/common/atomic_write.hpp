// Every file xbarcut writes goes through a temporary file renamed over the target: a reader, or a run killed
// half-way, never sees half a file, and a failed write leaves the previous good file in place.
#pragma once
#include <functional>
#include <string>

namespace xbarcut {

// Creates the parent folder, calls `write(tmp)` with a temporary path beside `path`, syncs it to disk, then renames
// it over `path`.
// When `write` throws (any std::exception) or the rename fails, the temporary file is removed and a one-line
// xbarcut::Error says "cannot write <what> <path>: ...".
void write_atomically(const std::string& path, const std::string& what,
                      const std::function<void(const std::string& tmp)>& write);

}  // namespace xbarcut
