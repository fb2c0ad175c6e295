#include "report/npy_writer.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "common/error.hpp"
#include "report_test_util.hpp"

namespace xbarcut::report {
namespace {

TEST(NpyWriterTest, HeaderIsVersion1AlignedTo64) {
  const std::string h = npy_header(36, 50);
  EXPECT_EQ(h.size() % 64, 0u);
  EXPECT_EQ(h.substr(0, 6), std::string("\x93NUMPY", 6));
  EXPECT_EQ(h[6], 1);
  EXPECT_EQ(h[7], 0);
  const size_t len = static_cast<unsigned char>(h[8]) | static_cast<size_t>(static_cast<unsigned char>(h[9])) << 8;
  EXPECT_EQ(len + 10, h.size());
  EXPECT_NE(h.find("'descr': '<f8'"), std::string::npos);
  EXPECT_NE(h.find("'fortran_order': False"), std::string::npos);
  EXPECT_NE(h.find("'shape': (36, 50)"), std::string::npos);
  EXPECT_EQ(h.back(), '\n');
}

TEST(NpyWriterTest, DataIsLittleEndianFloat64InCOrder) {
  test::ScratchDir dir;
  const std::vector<double> v{1.0, -2.5, 3.25, 1e-6, 0.0, 42.0};
  write_npy(dir.file("a.npy"), 2, 3, v);
  std::ifstream in(dir.file("a.npy"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t header = npy_header(2, 3).size();
  ASSERT_EQ(bytes.size(), header + 6 * 8);
  for (size_t i = 0; i < v.size(); ++i) {
    uint64_t bits = 0;
    for (int b = 0; b < 8; ++b) bits |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[header + i * 8 + b])) << (8 * b);
    double d;
    std::memcpy(&d, &bits, 8);
    EXPECT_EQ(d, v[i]);
  }
}

TEST(NpyWriterTest, Errors) {
  test::ScratchDir dir;
  EXPECT_THROW(write_npy(dir.file("a.npy"), 2, 3, {1.0}), Error);
  EXPECT_THROW(write_npy(dir.file("missing/a.npy"), 1, 1, {1.0}), Error);
}

}  // namespace
}  // namespace xbarcut::report
