// The command line as typed, recorded in every summary so each figure names the command that produced it. The
// scissor pipeline sets it per step, so a step's summary names the step's own command.
#pragma once
#include <string>
#include <vector>

namespace xbarcut::cli {

std::string command_line();
void set_command_line(const std::vector<std::string>& args);  // without the program name

}  // namespace xbarcut::cli
