// Reader for NumPy's .npy files and .npz archives (numpy.save, numpy.savez, numpy.savez_compressed), the
// usual way to hand a dataset over from Python. Only plain numeric arrays in C order, as numpy writes by
// default; every other file gives a one-line error naming the file and the array.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace xbarcut::data {

struct NumpyArray {
  std::string dtype;           // numpy descr without byte order: "u1", "i8", "f4", "b1" (bool), ...
  std::vector<int64_t> shape;  // empty for a scalar
  std::vector<uint8_t> bytes;  // element_count() * item_size() bytes, C order, little-endian

  int64_t element_count() const;
  int item_size() const;  // bytes per element, the digits of dtype
};

// "(50000, 32, 32, 3)", "(10,)", "()": a shape as Python prints it, for messages.
std::string shape_text(const std::vector<int64_t>& shape);

// One .npy file (format versions 1.0, 2.0 and 3.0; gzip'd or not, as every dataset reader). Throws
// xbarcut::Error naming the file for a bad magic, an unknown version, a malformed header, fortran_order
// arrays, big-endian data, object, string or structured dtypes, and data shorter or longer than the shape.
NumpyArray read_npy(const std::string& path);

// Every .npy member of an .npz archive, stored or deflated, keyed by its name without ".npy" (numpy.savez's
// keyword names). Throws as read_npy, naming the archive and the array, and for a file that is not a zip.
std::map<std::string, NumpyArray> read_npz(const std::string& path);

}  // namespace xbarcut::data
