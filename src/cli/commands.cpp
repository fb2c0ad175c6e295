#include "cli/commands.hpp"

#include <stdexcept>
#include <utility>

namespace xbarcut::cli {

namespace {
const std::vector<std::pair<std::string, void (*)(CLI::App&)>>& table() {
  static const std::vector<std::pair<std::string, void (*)(CLI::App&)>> commands = {
      {"train", register_train},     {"eval", register_eval},       {"map", register_map},
      {"export", register_export},   {"clip", register_clip},       {"lowrank", register_lowrank},
      {"delete", register_delete},   {"scissor", register_scissor}, {"prune", register_prune},
      {"trannsform", register_trannsform}, {"xbprune", register_xbprune}, {"import", register_import}};
  return commands;
}
}  // namespace

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& c : table()) names.push_back(c.first);
  return names;
}

void register_command(CLI::App& app, const std::string& name) {
  for (const auto& c : table())
    if (c.first == name) return c.second(app);
  throw std::logic_error("no command " + name);
}

void register_all(CLI::App& app) {
  for (const auto& c : table()) c.second(app);
}

}  // namespace xbarcut::cli
