// Streaming reads with transparent gzip. Input and output go through two 1 MB buffers rather than
// whole-file vectors: on some VMs a fresh page costs ~10 us to fault in, which dominated load time.
#include "data/compressed_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "common/error.hpp"
#include "data/byte_order.hpp"

namespace xbarcut::data {
namespace {

const char* const kMissingHint = " (set --data-dir or XBARCUT_DATA to the folder that holds the dataset)";

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open_for_reading(const std::string& path) {
  // fopen succeeds on a directory on Linux and reads then fail obscurely, so reject it first.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw Error("cannot read " + path + ": it is a directory, expected a dataset file" + kMissingHint);
  }
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw Error("cannot open " + path + ": " + std::strerror(errno) + kMissingHint);
  return f;
}

// Fills buf as far as the file allows; a short count means end of file.
size_t read_some(std::FILE* f, uint8_t* buf, size_t size, const std::string& path) {
  const size_t n = std::fread(buf, 1, size, f);
  if (n < size && std::ferror(f)) {
    throw Error("cannot read " + path + ": I/O error; check the disk and the file's permissions");
  }
  return n;
}

struct InflateGuard {
  z_stream* zs;
  ~InflateGuard() { inflateEnd(zs); }
};

void inflate_chunks(std::FILE* f, const std::string& path, std::vector<uint8_t>& in, size_t in_len, bool eof,
                    const ChunkSink& sink) {
  const std::string corrupt = path + ": corrupt or truncated gzip data (";
  const std::string fix = "); download the file again, or check it with gzip -t";

  z_stream zs{};
  if (inflateInit2(&zs, MAX_WBITS + 16) != Z_OK) throw Error(path + ": zlib failed to initialise; out of memory?");
  InflateGuard guard{&zs};
  std::vector<uint8_t> out(kChunkBytes);
  uint64_t produced = 0;
  zs.next_in = in.data();
  zs.avail_in = static_cast<uInt>(in_len);

  while (true) {
    if (zs.avail_in == 0 && !eof) {
      in_len = read_some(f, in.data(), in.size(), path);
      eof = in_len < in.size();
      zs.next_in = in.data();
      zs.avail_in = static_cast<uInt>(in_len);
    }
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const size_t n = out.size() - zs.avail_out;
    if (n > 0) {
      produced += n;
      sink(out.data(), n);
    }
    if (rc == Z_STREAM_END) {
      // A gzip file may be several members back to back (pigz, cat a.gz b.gz); anything else after
      // the end, such as tar's zero padding, is ignored as gzip itself does. Peek at 2 bytes.
      if (zs.avail_in < 2 && !eof) {
        std::memmove(in.data(), zs.next_in, zs.avail_in);
        const size_t more = read_some(f, in.data() + zs.avail_in, in.size() - zs.avail_in, path);
        eof = more < in.size() - zs.avail_in;
        zs.next_in = in.data();
        zs.avail_in += static_cast<uInt>(more);
      }
      if (is_gzip(zs.next_in, zs.avail_in)) {
        inflateReset(&zs);
        continue;
      }
      return;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && !(zs.avail_in == 0 && eof)) continue;  // needs the next input chunk
    if (rc == Z_BUF_ERROR) {
      throw Error(corrupt + "the stream ends early, after " + std::to_string(produced) + " bytes" + fix);
    }
    throw Error(corrupt + (zs.msg ? zs.msg : "zlib error " + std::to_string(rc)) + fix);
  }
}

}  // namespace

bool is_gzip(const uint8_t* data, size_t size) { return size >= 2 && data[0] == 0x1f && data[1] == 0x8b; }

void read_file_chunks(const std::string& path, const ChunkSink& sink) {
  File f = open_for_reading(path);
  std::vector<uint8_t> in(kChunkBytes);
  size_t in_len = read_some(f.get(), in.data(), in.size(), path);
  bool eof = in_len < in.size();
  if (is_gzip(in.data(), in_len)) {
    inflate_chunks(f.get(), path, in, in_len, eof, sink);
    return;
  }
  while (in_len > 0) {
    sink(in.data(), in_len);
    if (eof) break;
    in_len = read_some(f.get(), in.data(), in.size(), path);
    eof = in_len < in.size();
  }
}

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::vector<uint8_t> bytes;
  bytes.reserve(static_cast<size_t>(content_size_hint(path)));
  read_file_chunks(path, [&](const uint8_t* data, size_t size) { bytes.insert(bytes.end(), data, data + size); });
  return bytes;
}

uint64_t content_size_hint(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return 0;
  const File f(std::fopen(path.c_str(), "rb"));
  if (!f) return 0;
  uint8_t head[2] = {0, 0};
  const size_t n = std::fread(head, 1, 2, f.get());
  if (!is_gzip(head, n)) {
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<uint64_t>(size);
  }
  uint8_t t[4];
  if (std::fseek(f.get(), -4, SEEK_END) != 0 || std::fread(t, 1, 4, f.get()) != 4) return 0;
  const uint64_t isize = little_endian(t);
  // Deflate cannot expand more than ~1032:1, so a damaged trailer cannot make callers reserve 4 GB.
  const auto compressed = std::filesystem::file_size(path, ec);
  return ec ? 0 : std::min<uint64_t>(isize, uint64_t{compressed} * 1032);
}

std::string find_maybe_gzipped(const std::string& dir, const std::string& name) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path raw = fs::path(dir) / name;
  if (fs::is_regular_file(raw, ec)) return raw.string();
  const fs::path gz = fs::path(dir) / (name + ".gz");
  if (fs::is_regular_file(gz, ec)) return gz.string();
  return {};
}

}  // namespace xbarcut::data
