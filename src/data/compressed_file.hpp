// Reads a dataset file, gunzipping it on the fly when it starts with the gzip magic, so every reader
// accepts `name` and `name.gz` alike (the distributions ship gzip'd, users often unpack them).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace xbarcut::data {

// Receives the file's content in order, in pieces of at most kChunkBytes.
using ChunkSink = std::function<void(const uint8_t* data, size_t size)>;
constexpr size_t kChunkBytes = size_t{1} << 20;

// Streams the content (inflated if the file is gzip: magic 1f 8b; concatenated members are joined)
// through small reused buffers, so a reader can parse straight into its destination and each byte of
// memory is touched once. Throws xbarcut::Error naming the file if it cannot be opened or read, or
// if the gzip stream is corrupt or truncated. Exceptions thrown by sink propagate unchanged.
void read_file_chunks(const std::string& path, const ChunkSink& sink);

// The whole content as bytes, with the same errors as read_file_chunks.
std::vector<uint8_t> read_file_bytes(const std::string& path);

// The content size without reading the content: the file size, or a gzip file's trailer (exact for a
// single member under 4 GB, as every dataset ships; only a hint for concatenated members). 0 if the
// file cannot be opened: the read that follows reports that.
uint64_t content_size_hint(const std::string& path);

bool is_gzip(const uint8_t* data, size_t size);

// `dir/name` if that file exists, else `dir/name.gz` if that exists, else the empty string.
std::string find_maybe_gzipped(const std::string& dir, const std::string& name);

}  // namespace xbarcut::data
