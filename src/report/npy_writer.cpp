#include "report/npy_writer.hpp"

#include <cstring>
#include <fstream>

#include "common/error.hpp"

namespace xbarcut::report {

std::string npy_header(int64_t rows, int64_t cols) {
  std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                     std::to_string(cols) + "), }";
  const size_t preamble = 10;  // magic (6) + version (2) + header length (2)
  size_t total = preamble + dict.size() + 1;  // + '\n'
  const size_t padded = (total + 63) / 64 * 64;
  dict.append(padded - total, ' ');
  dict.push_back('\n');
  const auto len = static_cast<uint16_t>(dict.size());
  std::string out("\x93NUMPY\x01\x00", 8);
  out.push_back(static_cast<char>(len & 0xff));
  out.push_back(static_cast<char>(len >> 8));
  return out + dict;
}

void write_npy(const std::string& path, int64_t rows, int64_t cols, const std::vector<double>& values) {
  if (rows <= 0 || cols <= 0 || static_cast<int64_t>(values.size()) != rows * cols) {
    throw Error("cannot write " + path + ": " + std::to_string(values.size()) + " values for shape " +
                std::to_string(rows) + "x" + std::to_string(cols));
  }
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error("cannot write " + path + "; check that the directory exists and is writable");
  const std::string header = npy_header(rows, cols);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  // '<f8' is little-endian: copy bytes in that order whatever the host is.
  std::vector<unsigned char> bytes(values.size() * 8);
  for (size_t i = 0; i < values.size(); ++i) {
    uint64_t bits;
    std::memcpy(&bits, &values[i], 8);
    for (int b = 0; b < 8; ++b) bytes[i * 8 + static_cast<size_t>(b)] = static_cast<unsigned char>(bits >> (8 * b));
  }
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error("failed while writing " + path + "; check free disk space");
}

}  // namespace xbarcut::report
