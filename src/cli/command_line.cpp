#include "cli/command_line.hpp"

namespace xbarcut::cli {

namespace {
std::string g_command_line;
}

std::string command_line() { return g_command_line; }

void set_command_line(const std::vector<std::string>& args) {
  g_command_line = "xbarcut";
  for (const auto& a : args) g_command_line += " " + a;
}

}  // namespace xbarcut::cli
