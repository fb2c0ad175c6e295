// The library names options by their field in its messages, in backticks (`lasso.zero_threshold must be >= 0`), so
// a C++ caller reads its own struct's names; the command line says flags. This is the one translation.
#pragma once
#include <string>

namespace xbarcut::cli {

// Every `field` in `message` replaced by its flag: an explicit entry where the flag is named otherwise
// (`solver.base_lr` -> --lr, `lasso.zero_threshold` -> --lasso-threshold), else the field's last part with dashes
// (`keep_ratio` -> --keep-ratio).
std::string with_flag_names(const std::string& message);

// The flag of one field, by the same rule.
std::string flag_for_field(const std::string& field);

}  // namespace xbarcut::cli
