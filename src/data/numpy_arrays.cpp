// .npy parsing: the header is a Python dict literal ({'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)})
// read by a small parser rather than pattern matching, so odd spacing or key order from other writers still
// reads. The data size is checked against the shape before the array is returned, so a truncated file is
// reported as such. .npz members are read through libzip, which handles both stored and deflated archives.
#include "data/numpy_arrays.hpp"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/error.hpp"
#include "data/byte_order.hpp"
#include "data/compressed_file.hpp"

namespace xbarcut::data {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicBytes = 6;
const char* const kRewrite = "write it again with numpy.save or numpy.savez";

struct HeaderValue {
  enum class Kind { String, Boolean, IntTuple, Other } kind = Kind::Other;
  std::string text;
  bool flag = false;
  std::vector<int64_t> ints;
};

// The subset of Python literals numpy writes in a header: strings, True/False, tuples of integers. Lists
// and dicts (structured dtypes) are skipped as Kind::Other for the caller to refuse.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& where) : s_(text), where_(where) {}

  std::map<std::string, HeaderValue> parse_dict() {
    std::map<std::string, HeaderValue> dict;
    expect('{');
    while (!consume('}')) {
      const std::string key = parse_string();
      expect(':');
      dict[key] = parse_value();
      if (!consume(',')) {
        expect('}');
        break;
      }
    }
    return dict;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(where_ + ": malformed .npy header (" + what + " at character " + std::to_string(pos_) + " of '" +
                printable(s_) + "'); " + kRewrite);
  }

  // The header for a one-line message: padding dropped, control bytes shown as '?', long garbage cut.
  static std::string printable(std::string_view header) {
    const size_t end = header.find_last_not_of(" \t\r\n");
    std::string text(header.substr(0, end == std::string_view::npos ? 0 : std::min<size_t>(end + 1, 200)));
    for (char& c : text) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
    }
    return text;
  }

  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  bool consume(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void expect(char c) {
    if (!consume(c)) fail(std::string("expected '") + c + "'");
  }

  bool consume_word(std::string_view word) {
    skip_space();
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::string parse_string() {
    skip_space();
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) fail("expected a quoted string");
    const char quote = s_[pos_++];
    const size_t end = s_.find(quote, pos_);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string text(s_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return text;
  }

  int64_t parse_int() {
    skip_space();
    if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') fail("expected a non-negative integer");
    int64_t v = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      const int digit = s_[pos_++] - '0';
      if (v > (INT64_MAX - digit) / 10) fail("dimension too large");
      v = v * 10 + digit;
    }
    if (pos_ < s_.size() && s_[pos_] == 'L') ++pos_;  // Python 2 long literal
    return v;
  }

  // Skips a list or dict, nested brackets included, quoted text taken as is.
  void skip_bracketed() {
    int depth = 0;
    do {
      if (pos_ >= s_.size()) fail("unbalanced brackets");
      const char c = s_[pos_];
      if (c == '\'' || c == '"') {
        parse_string();
        continue;
      }
      if (c == '[' || c == '{' || c == '(') ++depth;
      if (c == ']' || c == '}' || c == ')') --depth;
      ++pos_;
    } while (depth > 0);
  }

  HeaderValue parse_value() {
    HeaderValue v;
    skip_space();
    if (pos_ >= s_.size()) fail("expected a value");
    const char c = s_[pos_];
    if (c == '\'' || c == '"') {
      v.kind = HeaderValue::Kind::String;
      v.text = parse_string();
    } else if (consume_word("True")) {
      v.kind = HeaderValue::Kind::Boolean;
      v.flag = true;
    } else if (consume_word("False")) {
      v.kind = HeaderValue::Kind::Boolean;
    } else if (consume('(')) {
      v.kind = HeaderValue::Kind::IntTuple;
      while (!consume(')')) {
        v.ints.push_back(parse_int());
        if (!consume(',')) {
          expect(')');
          break;
        }
      }
    } else if (c == '[' || c == '{') {
      skip_bracketed();
    } else {
      fail("unexpected value");
    }
    return v;
  }

  std::string_view s_;
  const std::string& where_;
  size_t pos_ = 0;
};

const HeaderValue& require(const std::map<std::string, HeaderValue>& dict, const std::string& key,
                           HeaderValue::Kind kind, const std::string& where) {
  const auto it = dict.find(key);
  if (it == dict.end() || it->second.kind != kind) {
    throw Error(where + ": malformed .npy header (no valid '" + key + "' entry); " + kRewrite);
  }
  return it->second;
}

// The descr without its byte order, after refusing what xbarcut cannot read.
std::string checked_dtype(const HeaderValue& descr, const std::string& where) {
  if (descr.kind != HeaderValue::Kind::String) {
    throw Error(where + ": structured dtype (record array) is not supported; save each field as its own "
                "plain numeric array");
  }
  const std::string& d = descr.text;
  const bool has_order = !d.empty() && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=');
  const std::string dtype = has_order ? d.substr(1) : d;
  if (dtype == "O") {
    throw Error(where + ": object arrays (dtype 'O') are not supported; save a numeric array, e.g. "
                "numpy.asarray(x, dtype=numpy.uint8)");
  }
  const bool digits = dtype.size() >= 2 && dtype.find_first_not_of("0123456789", 1) == std::string::npos;
  if (!digits || std::string("biuf").find(dtype[0]) == std::string::npos) {
    throw Error(where + ": dtype '" + d + "' is not supported; xbarcut reads boolean, integer and floating-point "
                "arrays (save e.g. x.astype(numpy.uint8) or x.astype(numpy.float32))");
  }
  if (d[0] == '>' && dtype != "u1" && dtype != "i1" && dtype != "b1") {
    throw Error(where + ": big-endian data (dtype '" + d + "') is not supported; save it little-endian, e.g. "
                "numpy.save(path, x.astype('<" + dtype + "'))");
  }
  return dtype;
}

// Parses a whole .npy file held in `file`, reusing its buffer for the data.
NumpyArray parse_npy(std::vector<uint8_t> file, const std::string& where) {
  if (file.size() < kMagicBytes || std::memcmp(file.data(), kMagic, kMagicBytes) != 0) {
    const bool zip = file.size() >= 4 && std::memcmp(file.data(), "PK\x03\x04", 4) == 0;
    throw Error(where + ": not a .npy file (it does not start with \\x93NUMPY" +
                (zip ? "; it is a zip archive: an .npz?" : "") + "); pass a file written by numpy.save");
  }
  if (file.size() < 10) {
    throw Error(where + ": truncated .npy file: " + std::to_string(file.size()) +
                " bytes, too short for the header; " + kRewrite);
  }
  const int major = file[6];
  const int minor = file[7];
  if (major < 1 || major > 3) {
    throw Error(where + ": .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                " is not supported (1.0 to 3.0 are); save it with numpy.save from numpy >= 1.9");
  }
  const int length_bytes = major == 1 ? 2 : 4;
  const size_t header_start = 8 + length_bytes;
  const uint64_t header_end =
      file.size() < header_start ? UINT64_MAX : header_start + uint64_t{little_endian(file.data() + 8, length_bytes)};
  if (header_end > file.size()) {
    throw Error(where + ": truncated .npy file: " + std::to_string(file.size()) +
                " bytes, shorter than its header; " + kRewrite);
  }
  const std::string_view header(reinterpret_cast<const char*>(file.data() + header_start),
                                static_cast<size_t>(header_end - header_start));
  const std::map<std::string, HeaderValue> dict = HeaderParser(header, where).parse_dict();

  NumpyArray array;
  const auto descr = dict.find("descr");
  if (descr == dict.end()) throw Error(where + ": malformed .npy header (no 'descr' entry); " + kRewrite);
  array.dtype = checked_dtype(descr->second, where);
  if (require(dict, "fortran_order", HeaderValue::Kind::Boolean, where).flag) {
    throw Error(where + ": fortran_order arrays are not supported; save numpy.ascontiguousarray(x) instead");
  }
  array.shape = require(dict, "shape", HeaderValue::Kind::IntTuple, where).ints;

  // Each dimension is < 2^63; compare in 128 bits before anything is multiplied into size_t.
  const size_t payload = file.size() - static_cast<size_t>(header_end);
  const bool empty = std::find(array.shape.begin(), array.shape.end(), 0) != array.shape.end();
  unsigned __int128 expected = empty ? 0 : static_cast<unsigned>(array.item_size());
  for (const int64_t dim : array.shape) {
    if (expected > payload) break;  // already too big: stop before the product can overflow
    expected *= static_cast<uint64_t>(dim);
  }
  const std::string says = "header says shape " + shape_text(array.shape) + " of " + array.dtype;
  if (expected > payload) {
    throw Error(where + ": truncated: " + says + " but the file holds only " + std::to_string(payload) +
                " data bytes; " + kRewrite);
  }
  if (expected < payload) {
    throw Error(where + ": " + says + " (" + std::to_string(static_cast<uint64_t>(expected)) +
                " bytes) but the file holds " + std::to_string(payload) + " data bytes; the file is damaged, " +
                kRewrite);
  }
  // Drop the header in place: a copy would fault in a second buffer as large as the dataset.
  file.erase(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(header_end));
  array.bytes = std::move(file);
  return array;
}

struct ArchiveCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct MemberCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

std::string zip_error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

std::unique_ptr<zip_t, ArchiveCloser> open_archive(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw Error("cannot read " + path + ": it is a directory, expected an .npz file");
  }
  int code = ZIP_ER_OK;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (archive) return std::unique_ptr<zip_t, ArchiveCloser>(archive);
  if (code == ZIP_ER_NOENT) throw Error("cannot open " + path + ": no such file; check the path");
  if (code == ZIP_ER_NOZIP) {
    throw Error(path + ": not an .npz file (not a zip archive); write it with numpy.savez or "
                "numpy.savez_compressed, or pass the folder of .npy files");
  }
  if (code == ZIP_ER_INCONS) {
    throw Error(path + ": corrupt or truncated .npz (inconsistent zip archive); write it again with numpy.savez");
  }
  throw Error("cannot open " + path + ": " + zip_error_text(code) + "; check the file and its permissions");
}

std::vector<uint8_t> read_member(zip_t* archive, zip_uint64_t index, uint64_t size, const std::string& where) {
  const std::string rewrite = "; write the archive again with numpy.savez or numpy.savez_compressed";
  std::unique_ptr<zip_file_t, MemberCloser> file(zip_fopen_index(archive, index, 0));
  if (!file) throw Error(where + ": cannot read the member (" + zip_strerror(archive) + ")" + rewrite);
  const auto corrupt = [&] {
    return Error(where + ": corrupt .npz member (" + zip_file_strerror(file.get()) + ")" + rewrite);
  };
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  uint64_t done = 0;
  while (done < size) {
    const zip_int64_t n = zip_fread(file.get(), bytes.data() + done, size - done);
    if (n < 0) throw corrupt();
    if (n == 0) {
      throw Error(where + ": corrupt .npz member: " + std::to_string(done) + " bytes where the archive says " +
                  std::to_string(size) + rewrite);
    }
    done += static_cast<uint64_t>(n);
  }
  // One read past the end: libzip checks the member's CRC only when it reaches the end of the data.
  uint8_t past_end = 0;
  const zip_int64_t extra = zip_fread(file.get(), &past_end, 1);
  if (extra < 0) throw corrupt();
  if (extra > 0) throw Error(where + ": corrupt .npz member: longer than the archive says" + rewrite);
  return bytes;
}

}  // namespace

int64_t NumpyArray::element_count() const {
  int64_t count = 1;
  for (const int64_t dim : shape) count *= dim;
  return count;
}

int NumpyArray::item_size() const {
  int size = 0;
  for (size_t i = 1; i < dtype.size() && dtype[i] >= '0' && dtype[i] <= '9'; ++i) size = size * 10 + (dtype[i] - '0');
  return size;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

NumpyArray read_npy(const std::string& path) { return parse_npy(read_file_bytes(path), path); }

std::map<std::string, NumpyArray> read_npz(const std::string& path) {
  const auto archive = open_archive(path);
  std::map<std::string, NumpyArray> arrays;
  const zip_int64_t entries = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < entries; ++i) {
    zip_stat_t stat;
    if (zip_stat_index(archive.get(), static_cast<zip_uint64_t>(i), 0, &stat) != 0 ||
        !(stat.valid & ZIP_STAT_NAME) || !(stat.valid & ZIP_STAT_SIZE)) {
      throw Error(path + ": corrupt .npz (entry " + std::to_string(i) + " unreadable: " +
                  zip_strerror(archive.get()) + "); write it again with numpy.savez");
    }
    // numpy.load offers only the .npy members as arrays; anything else in the archive is not ours.
    const std::string name = stat.name;
    const std::string suffix = ".npy";
    if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    const std::string key = name.substr(0, name.size() - suffix.size());
    const std::string where = path + " (array " + key + ")";
    arrays[key] = parse_npy(read_member(archive.get(), static_cast<zip_uint64_t>(i), stat.size, where), where);
  }
  return arrays;
}

}  // namespace xbarcut::data
