#include "train/resume_point.hpp"

#include <filesystem>

#include <fmt/core.h>

#include "common/error.hpp"

namespace xbarcut::train {

std::optional<Checkpoint> resume_point(const std::string& path, bool resume, const nlohmann::json& expected) {
  const bool exists = std::filesystem::exists(path);
  if (!resume) {
    if (exists)
      fmt::print(stderr, "note: starting over; {} of an earlier run will be replaced (add --resume to continue it)\n",
                 path);
    return std::nullopt;
  }
  if (!exists) {
    fmt::print(stderr, "nothing to resume in {}: starting from the beginning\n", path);
    return std::nullopt;
  }
  auto c = load_checkpoint(path);
  const std::string command = expected.value("command", "");
  if (c.info.value("command", "") != command)
    throw Error(fmt::format("{} was not written by xbarcut {}; use another --out, or leave out --resume", path, command));
  for (const auto& [key, value] : expected.items())
    if (!c.info.contains(key) || c.info.at(key) != value)
      throw Error(path + " belongs to a run with another --checkpoint, dataset or options; rerun that command with "
                  "--resume, or leave out --resume to start over");
  return c;
}

}  // namespace xbarcut::train
