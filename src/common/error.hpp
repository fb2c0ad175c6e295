// The one exception type of xbarcut: a user-facing message, caught once in main, printed as one line,
// exit code 2. Throw it for anything the user can fix (bad option, bad file, diverged training).
// Messages about an option name its field in backticks (`lasso.zero_threshold must be >= 0`): a C++ caller reads
// its own struct's names, and the command line translates each to the flag the user typed (cli/option_names.hpp).
#pragma once
#include <stdexcept>
#include <string>

namespace xbarcut {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace xbarcut
