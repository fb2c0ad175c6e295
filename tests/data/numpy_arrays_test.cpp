// Tests for the .npy / .npz reader at the byte level: headers built here exactly as numpy.save writes them
// (versions 1.0 to 3.0, other spacing and key orders), archives written through libzip stored and deflated, and
// every malformed case. Files written by numpy itself are read in array_dataset_test.cpp.
#include "data/numpy_arrays.hpp"

#include <zip.h>

#include <cstring>

#include "data_test_util.hpp"

namespace xbarcut::data {
namespace {
using namespace testing;

// A header dict as numpy.save writes it.
std::string npy_dict(const std::string& descr, const std::string& shape, const std::string& fortran = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
}

// A whole .npy file: magic, version, header length, the header padded with spaces to a multiple of 64
// bytes and ended by a newline (as numpy pads it), then the data.
Bytes npy_file(const std::string& dict, const Bytes& data, int major = 1) {
  const size_t length_bytes = major == 1 ? 2 : 4;
  std::string header = dict;
  const size_t unpadded = 8 + length_bytes + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  Bytes file = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), 0};
  for (size_t i = 0; i < length_bytes; ++i) file.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  file.insert(file.end(), header.begin(), header.end());
  file.insert(file.end(), data.begin(), data.end());
  return file;
}

Bytes counting_bytes(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 7 + 1);
  return b;
}

template <typename T>
Bytes bytes_of(const std::vector<T>& values) {
  Bytes b(values.size() * sizeof(T));
  std::memcpy(b.data(), values.data(), b.size());
  return b;
}

// Writes an archive whose members are stored or deflated, as numpy.savez and numpy.savez_compressed do.
void write_zip(const std::string& path, const std::vector<std::pair<std::string, Bytes>>& members, bool deflate) {
  int code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  ASSERT_NE(archive, nullptr) << path;
  for (const auto& [name, bytes] : members) {
    zip_source_t* source = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
    ASSERT_NE(source, nullptr);
    const zip_int64_t index = zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE);
    ASSERT_GE(index, 0) << zip_strerror(archive);
    ASSERT_EQ(zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                                       deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0), 0);
  }
  ASSERT_EQ(zip_close(archive), 0);
}

class NpyVersions : public ::testing::TestWithParam<int> {};  // param: format major version

TEST_P(NpyVersions, ReadsShapeDtypeAndData) {
  TempDir dir;
  const Bytes data = counting_bytes(2 * 3 * 4);
  write_raw(dir.file("a.npy"), npy_file(npy_dict("|u1", "(2, 3, 4)"), data, GetParam()));
  const NumpyArray a = read_npy(dir.file("a.npy"));
  EXPECT_EQ(a.dtype, "u1");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(a.element_count(), 24);
  EXPECT_EQ(a.item_size(), 1);
  EXPECT_EQ(a.bytes, data);
}

INSTANTIATE_TEST_SUITE_P(OneTwoThree, NpyVersions, ::testing::Values(1, 2, 3),
                         [](const auto& info) { return "v" + std::to_string(info.param); });

TEST(Npy, DtypesDropTheByteOrder) {
  TempDir dir;
  const std::vector<float> floats = {0.5f, -1.25f, 3.0f, 1e-3f, 255.0f, 0.0f};
  write_raw(dir.file("f.npy"), npy_file(npy_dict("<f4", "(2, 3)"), bytes_of(floats)));
  const NumpyArray f = read_npy(dir.file("f.npy"));
  EXPECT_EQ(f.dtype, "f4");
  EXPECT_EQ(f.item_size(), 4);
  EXPECT_EQ(f.bytes, bytes_of(floats));

  const std::vector<int64_t> longs = {-3, 0, 1LL << 40};
  write_raw(dir.file("i.npy"), npy_file(npy_dict("<i8", "(3,)"), bytes_of(longs)));
  EXPECT_EQ(read_npy(dir.file("i.npy")).dtype, "i8");
  EXPECT_EQ(read_npy(dir.file("i.npy")).bytes, bytes_of(longs));

  write_raw(dir.file("n.npy"), npy_file(npy_dict("=i4", "(1,)"), bytes_of(std::vector<int32_t>{7})));
  EXPECT_EQ(read_npy(dir.file("n.npy")).dtype, "i4");
  write_raw(dir.file("b.npy"), npy_file(npy_dict("|b1", "(2,)"), Bytes{1, 0}));
  EXPECT_EQ(read_npy(dir.file("b.npy")).dtype, "b1");
  // A single byte has no byte order, whatever the header says.
  write_raw(dir.file("u.npy"), npy_file(npy_dict(">u1", "(2,)"), Bytes{1, 2}));
  EXPECT_EQ(read_npy(dir.file("u.npy")).dtype, "u1");
}

TEST(Npy, ScalarsEmptyArraysAndShapeText) {
  TempDir dir;
  write_raw(dir.file("s.npy"), npy_file(npy_dict("<f8", "()"), bytes_of(std::vector<double>{2.5})));
  const NumpyArray s = read_npy(dir.file("s.npy"));
  EXPECT_TRUE(s.shape.empty());
  EXPECT_EQ(s.element_count(), 1);
  write_raw(dir.file("e.npy"), npy_file(npy_dict("<f4", "(0, 3)"), Bytes{}));
  EXPECT_EQ(read_npy(dir.file("e.npy")).element_count(), 0);
  EXPECT_EQ(shape_text({}), "()");
  EXPECT_EQ(shape_text({10}), "(10,)");
  EXPECT_EQ(shape_text({2, 32, 32, 3}), "(2, 32, 32, 3)");
}

TEST(Npy, OtherWritersSpacingQuotesAndKeyOrder) {
  TempDir dir;
  write_raw(dir.file("a.npy"),
            npy_file("{\"shape\":(3L,),\"fortran_order\":False,\"descr\":\"<u1\",\"extra\":[1,{'x':(2,)}]}",
                     Bytes{4, 5, 6}));
  const NumpyArray a = read_npy(dir.file("a.npy"));
  EXPECT_EQ(a.shape, std::vector<int64_t>{3});
  EXPECT_EQ(a.bytes, (Bytes{4, 5, 6}));
}

TEST(Npy, GzippedFile) {
  TempDir dir;
  const Bytes data = counting_bytes(10);
  write_gz(dir.file("a.npy.gz"), npy_file(npy_dict("|u1", "(10,)"), data));
  EXPECT_EQ(read_npy(dir.file("a.npy.gz")).bytes, data);
}

// Writes `file` and expects read_npy to refuse it with one line naming the file and holding every part.
void expect_npy_error(const Bytes& file, std::initializer_list<std::string> parts) {
  TempDir dir;
  write_raw(dir.file("a.npy"), file);
  const auto read = [&] { read_npy(dir.file("a.npy")); };
  expect_error(read, {dir.file("a.npy")});
  expect_error(read, parts);
}

TEST(NpyErrors, BadMagic) {
  expect_npy_error(Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'}, {"not a .npy file", "numpy.save"});
  expect_npy_error(Bytes{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0}, {"not a .npy file", "an .npz?"});
  expect_npy_error(Bytes{}, {"not a .npy file"});
}

TEST(NpyErrors, TruncatedDataHeaderAndPrefix) {
  Bytes file = npy_file(npy_dict("<f4", "(2, 3)"), Bytes(24, 0));
  file.resize(file.size() - 5);
  expect_npy_error(file, {"truncated", "(2, 3)", "19 data bytes"});
  file.resize(40);
  expect_npy_error(file, {"truncated", "shorter than its header"});
  file.resize(8);
  expect_npy_error(file, {"truncated", "8 bytes"});
}

TEST(NpyErrors, MoreDataThanTheShape) {
  expect_npy_error(npy_file(npy_dict("|u1", "(4,)"), Bytes(6, 0)), {"(4,)", "6 data bytes", "damaged"});
}

TEST(NpyErrors, FortranOrder) {
  expect_npy_error(npy_file(npy_dict("|u1", "(2, 3)", "True"), Bytes(6, 0)), {"fortran_order", "ascontiguousarray"});
}

TEST(NpyErrors, BigEndian) {
  expect_npy_error(npy_file(npy_dict(">f4", "(2,)"), Bytes(8, 0)), {"big-endian", "'>f4'", "'<f4'"});
}

TEST(NpyErrors, ObjectStringAndStructuredDtypes) {
  expect_npy_error(npy_file(npy_dict("|O", "(2,)"), Bytes(16, 0)), {"object arrays", "'O'"});
  expect_npy_error(npy_file(npy_dict("<U5", "(2,)"), Bytes(40, 0)), {"dtype '<U5' is not supported"});
  expect_npy_error(npy_file("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }",
                            Bytes(16, 0)),
                   {"structured dtype"});
}

TEST(NpyErrors, UnknownVersionAndMalformedHeader) {
  Bytes file = npy_file(npy_dict("|u1", "(2,)"), Bytes(2, 0));
  file[6] = 4;
  expect_npy_error(file, {"version 4.0 is not supported"});
  expect_npy_error(npy_file("{'descr': '|u1', 'fortran_order': False, }", Bytes(2, 0)),
                   {"malformed .npy header", "'shape'"});
  expect_npy_error(npy_file("{'descr': '|u1', 'shape': (2, -1), 'fortran_order': False}", Bytes(2, 0)),
                   {"malformed .npy header", "non-negative integer"});
  expect_npy_error(npy_file("{'descr: '|u1'", Bytes(2, 0)), {"malformed .npy header", "expected ':'"});
}

TEST(NpyErrors, MissingFileAndHugeShape) {
  TempDir dir;
  expect_error([&] { read_npy(dir.file("none.npy")); }, {"cannot open " + dir.file("none.npy")});
  expect_npy_error(npy_file(npy_dict("<f8", "(4611686018427387904, 4611686018427387904)"), Bytes(8, 0)),
                   {"truncated"});
}

class Npz : public ::testing::TestWithParam<bool> {};  // param: deflated (savez_compressed) or stored (savez)

TEST_P(Npz, MembersByNameWithoutTheSuffix) {
  TempDir dir;
  const Bytes x = counting_bytes(3 * 4 * 5);
  const std::vector<int64_t> y = {0, 2, 1};
  write_zip(dir.file("d.npz"),
            {{"x_train.npy", npy_file(npy_dict("|u1", "(3, 4, 5)"), x)},
             {"y_train.npy", npy_file(npy_dict("<i8", "(3,)"), bytes_of(y))},
             {"notes.txt", Bytes{'h', 'i'}}},
            GetParam());
  const std::map<std::string, NumpyArray> arrays = read_npz(dir.file("d.npz"));
  ASSERT_EQ(arrays.size(), 2u);
  EXPECT_EQ(arrays.at("x_train").shape, (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(arrays.at("x_train").bytes, x);
  EXPECT_EQ(arrays.at("y_train").dtype, "i8");
  EXPECT_EQ(arrays.at("y_train").bytes, bytes_of(y));
}

TEST_P(Npz, BadMemberNamesTheArchiveAndTheArray) {
  TempDir dir;
  Bytes truncated = npy_file(npy_dict("|u1", "(3, 4)"), Bytes(12, 0));
  truncated.resize(truncated.size() - 2);
  write_zip(dir.file("d.npz"), {{"x_test.npy", truncated}}, GetParam());
  expect_error([&] { read_npz(dir.file("d.npz")); }, {dir.file("d.npz") + " (array x_test)", "truncated"});
}

INSTANTIATE_TEST_SUITE_P(StoredAndDeflated, Npz, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "deflated" : "stored"; });

TEST(NpzErrors, NotAZipMissingAndDirectory) {
  TempDir dir;
  write_raw(dir.file("a.npz"), npy_file(npy_dict("|u1", "(2,)"), Bytes(2, 0)));
  expect_error([&] { read_npz(dir.file("a.npz")); }, {dir.file("a.npz"), "not an .npz file", "numpy.savez"});
  expect_error([&] { read_npz(dir.file("none.npz")); }, {"cannot open " + dir.file("none.npz"), "no such file"});
  expect_error([&] { read_npz(dir.str()); }, {dir.str(), "is a directory"});
}

TEST(NpzErrors, CorruptCompressedMember) {
  TempDir dir;
  write_zip(dir.file("d.npz"), {{"x_train.npy", npy_file(npy_dict("|u1", "(4000,)"), counting_bytes(4000))}}, true);
  Bytes archive = read_raw(dir.file("d.npz"));
  for (size_t i = 80; i < 90; ++i) archive[i] ^= 0x5a;  // inside the deflated data, past the local header
  write_raw(dir.file("d.npz"), archive);
  expect_error([&] { read_npz(dir.file("d.npz")); }, {dir.file("d.npz") + " (array x_train)", "corrupt .npz member"});
}

TEST(NpzErrors, TruncatedArchive) {
  TempDir dir;
  write_zip(dir.file("d.npz"), {{"x_train.npy", npy_file(npy_dict("|u1", "(4000,)"), counting_bytes(4000))}}, false);
  Bytes archive = read_raw(dir.file("d.npz"));
  archive.resize(archive.size() / 2);
  write_raw(dir.file("d.npz"), archive);
  expect_error([&] { read_npz(dir.file("d.npz")); }, {dir.file("d.npz"), "not an .npz file"});
}

}  // namespace
}  // namespace xbarcut::data
