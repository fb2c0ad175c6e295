#include "cli/value_checks.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>

namespace xbarcut::cli {

CLI::Validator integer_in(int64_t lo, int64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        errno = 0;
        char* end = nullptr;
        const long long v = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0') return "'" + text + "' is not a whole number";
        if (errno == ERANGE || v < lo || v > hi) {
          return "'" + text + "' is out of range: give " + std::to_string(lo) + " to " + std::to_string(hi);
        }
        return "";
      },
      "");  // the help text says what the flag takes
}

CLI::Validator positive_finite() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0') return "'" + text + "' is not a number";
        if (!std::isfinite(v) || v <= 0) return "'" + text + "' must be a finite number above 0";
        return "";
      },
      "");
}

CLI::Validator thread_count() {
  const auto hardware = static_cast<int64_t>(std::max(1u, std::thread::hardware_concurrency()));
  auto range = integer_in(1, 4 * hardware);
  return CLI::Validator(
      [range, hardware](std::string& text) -> std::string {
        std::string problem = range(text);
        return problem.empty() ? problem
                               : problem + " (this machine has " + std::to_string(hardware) + " hardware threads)";
      },
      "");
}

CLI::Validator non_empty_path() {
  return CLI::Validator(
      [](std::string& text) -> std::string { return text.empty() ? "is empty: give a folder" : ""; }, "");
}

}  // namespace xbarcut::cli
