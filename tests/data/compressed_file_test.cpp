// Tests for whole-file reading with transparent gzip: raw and gzip'd files give the same bytes, and
// missing or damaged files fail with a one-line message naming the file.
#include "data/compressed_file.hpp"

#include "data_test_util.hpp"

namespace xbarcut::data {
namespace {
using namespace testing;

Bytes sample(size_t n) {
  Bytes b(n);
  uint32_t x = 12345;
  for (auto& v : b) {
    x = x * 1103515245u + 12345u;  // pseudo-random, so gzip cannot shrink it to nothing
    v = static_cast<uint8_t>(x >> 16);
  }
  return b;
}

TEST(CompressedFile, ReadsRawFile) {
  TempDir dir;
  const Bytes data = sample(1000);
  write_raw(dir.file("a.bin"), data);
  EXPECT_EQ(read_file_bytes(dir.file("a.bin")), data);
}

TEST(CompressedFile, ReadsEmptyFile) {
  TempDir dir;
  write_raw(dir.file("empty"), {});
  EXPECT_TRUE(read_file_bytes(dir.file("empty")).empty());
}

TEST(CompressedFile, GunzipsByMagicNotByName) {
  TempDir dir;
  const Bytes data = sample(300000);
  write_gz(dir.file("a.gz"), data);
  write_gz(dir.file("no_suffix"), data);
  EXPECT_EQ(read_file_bytes(dir.file("a.gz")), data);
  EXPECT_EQ(read_file_bytes(dir.file("no_suffix")), data);
  const Bytes gz = read_raw(dir.file("a.gz"));
  EXPECT_TRUE(is_gzip(gz.data(), gz.size()));
  EXPECT_FALSE(is_gzip(data.data(), data.size()));
}

TEST(CompressedFile, GunzipsEmptyPayload) {
  TempDir dir;
  write_gz(dir.file("e.gz"), {});
  EXPECT_TRUE(read_file_bytes(dir.file("e.gz")).empty());
}

TEST(CompressedFile, HighlyCompressibleDataOutgrowsTheInitialBuffer) {
  TempDir dir;
  const Bytes zeros(5'000'000, 0);
  write_gz(dir.file("z.gz"), zeros);
  EXPECT_EQ(read_file_bytes(dir.file("z.gz")), zeros);
}

TEST(CompressedFile, ChunksCoverTheContentInOrder) {
  TempDir dir;
  const Bytes data = sample(3 * kChunkBytes + 12345);
  write_raw(dir.file("raw"), data);
  write_gz(dir.file("gz"), data);
  for (const std::string& name : {"raw", "gz"}) {
    Bytes joined;
    size_t chunks = 0;
    read_file_chunks(dir.file(name), [&](const uint8_t* p, size_t n) {
      EXPECT_LE(n, kChunkBytes);
      joined.insert(joined.end(), p, p + n);
      ++chunks;
    });
    EXPECT_EQ(joined, data) << name;
    EXPECT_GE(chunks, 4u) << name;
  }
}

TEST(CompressedFile, SinkExceptionsPropagate) {
  TempDir dir;
  write_gz(dir.file("gz"), sample(1000));
  EXPECT_THROW(read_file_chunks(dir.file("gz"), [](const uint8_t*, size_t) { throw std::out_of_range("x"); }),
               std::out_of_range);
}

TEST(CompressedFile, ContentSizeHint) {
  TempDir dir;
  write_raw(dir.file("raw"), sample(777));
  write_gz(dir.file("gz"), sample(123456));
  write_raw(dir.file("empty"), {});
  EXPECT_EQ(content_size_hint(dir.file("raw")), 777u);
  EXPECT_EQ(content_size_hint(dir.file("gz")), 123456u);
  EXPECT_EQ(content_size_hint(dir.file("empty")), 0u);
  EXPECT_EQ(content_size_hint(dir.file("missing")), 0u);
  EXPECT_EQ(content_size_hint(dir.str()), 0u);
}

TEST(CompressedFile, JoinsConcatenatedMembers) {
  TempDir dir;
  const Bytes a = sample(5000), b(7000, 42);
  write_gz(dir.file("a.gz"), a);
  write_gz(dir.file("b.gz"), b);
  Bytes both = read_raw(dir.file("a.gz"));
  const Bytes second = read_raw(dir.file("b.gz"));
  both.insert(both.end(), second.begin(), second.end());
  write_raw(dir.file("ab.gz"), both);
  Bytes expected = a;
  expected.insert(expected.end(), b.begin(), b.end());
  EXPECT_EQ(read_file_bytes(dir.file("ab.gz")), expected);
}

TEST(CompressedFile, MissingFileNamesItAndTheFix) {
  TempDir dir;
  const std::string path = dir.file("nope.gz");
  expect_error([&] { read_file_bytes(path); }, {"cannot open " + path, "--data-dir", "XBARCUT_DATA"});
}

TEST(CompressedFile, DirectoryIsRejected) {
  TempDir dir;
  expect_error([&] { read_file_bytes(dir.str()); }, {dir.str(), "directory"});
}

TEST(CompressedFile, TruncatedGzipIsReported) {
  TempDir dir;
  write_gz(dir.file("t.gz"), sample(100000));
  Bytes gz = read_raw(dir.file("t.gz"));
  gz.resize(gz.size() / 2);
  write_raw(dir.file("t.gz"), gz);
  expect_error([&] { read_file_bytes(dir.file("t.gz")); }, {dir.file("t.gz"), "corrupt or truncated"});
}

TEST(CompressedFile, GzipMagicWithoutStreamIsTruncated) {
  TempDir dir;
  write_raw(dir.file("m.gz"), {0x1f, 0x8b});
  expect_error([&] { read_file_bytes(dir.file("m.gz")); }, {dir.file("m.gz"), "corrupt or truncated"});
}

TEST(CompressedFile, CorruptGzipIsReported) {
  TempDir dir;
  write_gz(dir.file("c.gz"), sample(100000));
  Bytes gz = read_raw(dir.file("c.gz"));
  for (size_t i = gz.size() / 3; i < gz.size() / 3 + 64; ++i) gz[i] ^= 0x5a;
  write_raw(dir.file("c.gz"), gz);
  expect_error([&] { read_file_bytes(dir.file("c.gz")); }, {dir.file("c.gz"), "corrupt or truncated"});
}

TEST(CompressedFile, CorruptTrailerIsReported) {
  TempDir dir;
  write_gz(dir.file("crc.gz"), sample(1000));
  Bytes gz = read_raw(dir.file("crc.gz"));
  gz[gz.size() - 6] ^= 0xff;  // inside the CRC32 of the trailer: all data inflates, the check fails
  write_raw(dir.file("crc.gz"), gz);
  expect_error([&] { read_file_bytes(dir.file("crc.gz")); }, {dir.file("crc.gz"), "corrupt or truncated"});
}

TEST(CompressedFile, FindsRawThenGzipped) {
  TempDir dir;
  EXPECT_EQ(find_maybe_gzipped(dir.str(), "f"), "");
  write_raw(dir.file("f.gz"), {1});
  EXPECT_EQ(find_maybe_gzipped(dir.str(), "f"), dir.file("f.gz"));
  write_raw(dir.file("f"), {1});
  EXPECT_EQ(find_maybe_gzipped(dir.str(), "f"), dir.file("f"));
  EXPECT_EQ(find_maybe_gzipped(dir.file("missing_dir"), "f"), "");
}

}  // namespace
}  // namespace xbarcut::data
