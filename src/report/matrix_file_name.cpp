#include "report/matrix_file_name.hpp"

namespace xbarcut::report {

std::string matrix_file_name(const std::string& matrix_name) {
  if (matrix_name.empty()) return "matrix";
  std::string out = matrix_name;
  for (char& ch : out) {
    const bool keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                      ch == '.' || ch == '-' || ch == '_';
    if (!keep) ch = '_';
  }
  if (out == "." || out == "..") out = "matrix" + out;  // never a directory reference
  return out;
}

}  // namespace xbarcut::report
