// File names derived from matrix names ("layer1.0.conv2_u" -> "layer1.0.conv2_u", "a/b c" -> "a_b_c"),
// shared by the picture and crossbar-export writers so every output of one matrix sorts together.
#pragma once
#include <string>

namespace xbarcut::report {

// Keeps letters, digits, '.', '-' and '_'; anything else becomes '_'. An empty name becomes "matrix".
std::string matrix_file_name(const std::string& matrix_name);

}  // namespace xbarcut::report
