// What `--resume` finds in an output folder, shared by the commands that resume (clip, delete): the checkpoint an
// interrupted run of the same command left, checked against what this run would write into it.
#pragma once
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "train/checkpoint.hpp"

namespace xbarcut::train {

// The checkpoint at `path` when `resume` asks for it and it exists; nullopt otherwise (with a note on stderr when
// a checkpoint is about to be replaced, or --resume finds none). Every key of `expected` ("command", "from",
// "dataset", "settings" ...) must equal the checkpoint's run info, else a one-line Error: a checkpoint of another
// run is never continued or silently replaced.
std::optional<Checkpoint> resume_point(const std::string& path, bool resume, const nlohmann::json& expected);

}  // namespace xbarcut::train
