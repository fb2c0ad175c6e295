// A minimal NumPy .npy (format v1.0) writer for 2-D float64 arrays, so exported crossbar
// conductances load with numpy.load without any Python-side dependency on xbarcut.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace xbarcut::report {

// The header "\x93NUMPY" 1.0 + a dict {'descr': '<f8', 'fortran_order': False, 'shape': (rows, cols)},
// space-padded so the data starts on a 64-byte boundary. Exposed for tests.
std::string npy_header(int64_t rows, int64_t cols);

// Writes row-major `values` (rows * cols) as little-endian float64, C order.
// Throws xbarcut::Error if the sizes disagree or the file cannot be written.
void write_npy(const std::string& path, int64_t rows, int64_t cols, const std::vector<double>& values);

}  // namespace xbarcut::report
