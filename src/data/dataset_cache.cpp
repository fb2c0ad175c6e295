// The header is checked against the file's size before anything is trusted, so a cache cut short by a full disk
// or overwritten by something else is refused with one line rather than read as garbage images.
#include "data/dataset_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>

#include "common/error.hpp"
#include "data/byte_order.hpp"

namespace xbarcut::data {
namespace {

namespace fs = std::filesystem;

constexpr char kMagic[] = "XBDSCACHE1";
constexpr size_t kMagicSize = sizeof kMagic - 1;
// Bounds far beyond any real dataset; they keep a garbage header from asking for absurd allocations.
constexpr int64_t kMaxCount = int64_t{1} << 40;
constexpr int64_t kMaxSide = int64_t{1} << 20;
constexpr int64_t kMaxChannels = 16;
constexpr uint32_t kMaxText = 1u << 20;  // a class name or the split's name
constexpr int64_t kLabelBytes = 4;

// Little-endian encoding, whatever the machine's byte order.
class LittleEndianWriter {
 public:
  explicit LittleEndianWriter(const std::string& start) : bytes_(start.begin(), start.end()) {}
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void i64(int64_t v) {
    for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i)));
  }
  void text(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

std::string corrupt(const std::string& path, const std::string& why) {
  return path + ": not a valid dataset cache (" + why + "); delete it to rebuild";
}

// Reads exactly n bytes at offset, looping over short reads; false at end of file, throws on an I/O error.
bool pread_exactly(int fd, uint8_t* out, int64_t n, int64_t offset, const std::string& path) {
  while (n > 0) {
    const ssize_t got = ::pread(fd, out, static_cast<size_t>(n), static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(path + ": cannot read the dataset cache: " + std::strerror(errno));
    if (got == 0) return false;
    out += got, n -= got, offset += got;
  }
  return true;
}

// The header and labels of a split of `count` images (the count, pixels and labels of `shape` are not used).
std::vector<uint8_t> header_bytes(const ImageSet& shape, int64_t count, const std::vector<int32_t>& labels) {
  LittleEndianWriter header(kMagic);
  header.u32(kDatasetCacheVersion);
  for (int64_t v : {count, shape.channels, shape.height, shape.width}) header.i64(v);
  header.i32(shape.num_classes);
  header.u32(static_cast<uint32_t>(shape.class_names.size()));
  for (const std::string& name : shape.class_names) header.text(name);
  header.text(shape.name);
  for (int32_t label : labels) header.i32(label);
  return header.bytes();
}

// The fields of `set` that go in a header, without its pixels and labels.
ImageSet shape_of(const ImageSet& set) {
  ImageSet shape;
  shape.channels = set.channels, shape.height = set.height, shape.width = set.width;
  shape.num_classes = set.num_classes;
  shape.class_names = set.class_names;
  shape.name = set.name;
  return shape;
}

// One cache file written as its images arrive, to a temporary file beside it unique to this process. The pixels
// go after room left for the header and max_count labels; finish() writes the header and labels in front, as only
// then the count is known (an image may fail to decode and be skipped: its label's room is closed up by moving the
// pixels down, in blocks), syncs and closes; commit() renames the file into place. Destroyed uncommitted, it
// removes the temporary file. Every failure is a one-line Error naming the cache file.
class CacheFileWriter {
 public:
  CacheFileWriter(const std::string& path, const ImageSet& shape, int64_t max_count)
      : path_(path),
        tmp_(path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(next_id()++)),
        shape_(shape_of(shape)),
        max_count_(max_count),
        header_size_(static_cast<int64_t>(header_bytes(shape, 0, {}).size())) {
    const fs::path dir = fs::path(path).parent_path();
    std::error_code ec;
    if (!dir.empty()) fs::create_directories(dir, ec);
    if (ec) fail(ec.message());
    fd_ = ::open(tmp_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) fail(std::strerror(errno));
    labels_.reserve(static_cast<size_t>(max_count));
  }
  ~CacheFileWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmp_.c_str());
  }
  CacheFileWriter(const CacheFileWriter&) = delete;
  CacheFileWriter& operator=(const CacheFileWriter&) = delete;

  int64_t count() const { return static_cast<int64_t>(labels_.size()); }

  void append(const int32_t* labels, const uint8_t* pixels, int64_t n) {
    if (count() + n > max_count_) {
      fail(std::to_string(count() + n) + " images for the " + std::to_string(max_count_) + " announced");
    }
    write_at(pixels, n * shape_.image_size(), pixels_offset(max_count_) + count() * shape_.image_size());
    labels_.insert(labels_.end(), labels, labels + n);
  }

  void finish() {
    const int64_t pixel_bytes = count() * shape_.image_size();
    if (count() < max_count_) {
      const int64_t from = pixels_offset(max_count_), to = pixels_offset(count());
      std::vector<uint8_t> block(static_cast<size_t>(std::min<int64_t>(pixel_bytes, kMoveBlock)));
      for (int64_t done = 0; done < pixel_bytes; done += kMoveBlock) {
        const int64_t n = std::min<int64_t>(kMoveBlock, pixel_bytes - done);
        if (!pread_exactly(fd_, block.data(), n, from + done, tmp_)) fail("it was cut short while written");
        write_at(block.data(), n, to + done);  // below the bytes still to move: forward order never overwrites them
      }
      if (::ftruncate(fd_, static_cast<off_t>(to + pixel_bytes)) != 0) fail(std::strerror(errno));
    }
    const std::vector<uint8_t> header = header_bytes(shape_, count(), labels_);
    write_at(header.data(), static_cast<int64_t>(header.size()), 0);
    // On disk before the rename, so a crash right after it cannot leave an empty file under the final name.
    if (::fsync(fd_) != 0) fail(std::strerror(errno));
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) fail(std::strerror(errno));
  }

  void commit() {
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
      throw Error("cannot move " + tmp_ + " to " + path_ + ": " + std::strerror(errno));
    }
    committed_ = true;
  }

 private:
  static constexpr int64_t kMoveBlock = int64_t{8} << 20;
  static std::atomic<uint64_t>& next_id() {  // two writers of one process never share a temporary file either
    static std::atomic<uint64_t> id{0};
    return id;
  }

  int64_t pixels_offset(int64_t count) const { return header_size_ + count * kLabelBytes; }

  [[noreturn]] void fail(const std::string& why) const {
    throw Error("cannot write dataset cache " + path_ + ": " + why +
                "; check the directory is writable and the disk not full");
  }

  // Writes exactly n bytes at offset, looping over short writes.
  void write_at(const uint8_t* data, int64_t n, int64_t offset) {
    while (n > 0) {
      const ssize_t put = ::pwrite(fd_, data, static_cast<size_t>(n), static_cast<off_t>(offset));
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) fail(put < 0 ? std::strerror(errno) : "nothing written");
      data += put, n -= put, offset += put;
    }
  }

  std::string path_, tmp_;
  ImageSet shape_;
  int64_t max_count_, header_size_;
  std::vector<int32_t> labels_;
  int fd_ = -1;
  bool committed_ = false;
};

// The two cache files of an image folder, written as stream_image_folder decodes it.
class CacheFilesSink : public ImageFolderSink {
 public:
  CacheFilesSink(const std::string& train_path, const std::string& test_path) : paths_{train_path, test_path} {}

  void start(const ImageSet (&splits)[2], const int64_t (&max_count)[2]) override {
    for (int s = 0; s < 2; ++s) files_[s].emplace(paths_[s], splits[s], max_count[s]);
  }
  void append(int split, const int32_t* labels, const uint8_t* pixels, int64_t n) override {
    files_[split]->append(labels, pixels, n);
  }

  // Both files synced, then renamed; a test file that cannot be renamed takes the train file away with it.
  int64_t commit() {
    files_[0]->finish();
    files_[1]->finish();
    files_[0]->commit();
    try {
      files_[1]->commit();
    } catch (...) {
      ::unlink(paths_[0].c_str());
      throw;
    }
    return files_[0]->count() + files_[1]->count();
  }

 private:
  std::string paths_[2];
  std::optional<CacheFileWriter> files_[2];
};

// Sequential little-endian reads of the header, each checked against the end of the file.
class HeaderReader {
 public:
  HeaderReader(int fd, const std::string& path) : fd_(fd), path_(path) {}
  int64_t offset() const { return offset_; }

  void read(uint8_t* out, int64_t n) {
    if (!pread_exactly(fd_, out, n, offset_, path_)) throw Error(corrupt(path_, "truncated header"));
    offset_ += n;
  }
  uint32_t u32() {
    uint8_t b[4];
    read(b, 4);
    return little_endian(b);
  }
  int32_t i32() { return static_cast<int32_t>(u32()); }
  int64_t i64() {
    const uint64_t low = u32();
    return static_cast<int64_t>(low | uint64_t{u32()} << 32);
  }
  std::string text() {
    const uint32_t size = u32();
    if (size > kMaxText) throw Error(corrupt(path_, "a name of " + std::to_string(size) + " bytes"));
    std::string s(size, '\0');
    read(reinterpret_cast<uint8_t*>(s.data()), size);
    return s;
  }

 private:
  int fd_;
  const std::string& path_;
  int64_t offset_ = 0;
};

void check_in(int64_t value, int64_t low, int64_t high, const char* what, const std::string& path) {
  if (value < low || value > high) throw Error(corrupt(path, std::string(what) + " " + std::to_string(value)));
}

// 64-bit FNV-1a: a stable hash (std::hash may differ between builds), ample for naming cache files.
uint64_t fnv1a(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

// Everything the decoded pixels depend on: the folder, each image file's name, size and modification time, the
// options and the file format.
std::string cache_key(const fs::path& root, const ImageFolderListing& listing, const ImageFolderOptions& options) {
  std::string key = "xbarcut dataset cache " + std::to_string(kDatasetCacheVersion) + "\n" + root.string() + "\n" +
                    describe(options) + "\n";
  for (const auto* split : {&listing.train, &listing.test}) {
    for (const ImageFile& f : *split) {
      struct stat st {};
      if (::stat(f.path.c_str(), &st) != 0) throw Error(f.path + ": cannot read: " + std::strerror(errno));
      key += fs::path(f.path).lexically_relative(root).string() + '\0' + std::to_string(st.st_size) + '\0' +
             std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "\n";
    }
  }
  return key;
}

// The folder's own name, kept to letters, digits, '.', '_' and '-', so a person can tell cache files apart.
std::string readable_stem(const fs::path& root) {
  std::string stem = root.filename().string().substr(0, 40);
  for (char& c : stem) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '_';
  }
  return stem.empty() ? "images" : stem;
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

void write_dataset_cache(const std::string& path, const ImageSet& split) {
  if (split.labels.size() != static_cast<size_t>(split.count) ||
      split.pixels.size() != static_cast<size_t>(split.count * split.image_size())) {
    throw Error("cannot cache " + split.name + " in " + path + ": it holds " + std::to_string(split.labels.size()) +
                " labels and " + std::to_string(split.pixels.size()) + " pixel bytes for " +
                std::to_string(split.count) + " images of " + std::to_string(split.image_size()) + " bytes");
  }
  for (size_t i = 0; i < split.labels.size(); ++i) {
    if (split.labels[i] < 0 || split.labels[i] >= split.num_classes) {
      throw Error("cannot cache " + split.name + " in " + path + ": label " + std::to_string(split.labels[i]) +
                  " of image " + std::to_string(i) + " is outside [0, " + std::to_string(split.num_classes) + ")");
    }
  }
  CacheFileWriter file(path, split, split.count);
  file.append(split.labels.data(), split.pixels.data(), split.count);
  file.finish();
  file.commit();
}

DatasetCacheFile::DatasetCacheFile(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(path + ": cannot open the dataset cache: " + std::strerror(errno));
  try {
    HeaderReader in(fd_, path_);
    char magic[kMagicSize];
    in.read(reinterpret_cast<uint8_t*>(magic), kMagicSize);
    if (std::memcmp(magic, kMagic, kMagicSize) != 0) throw Error(corrupt(path, "no XBDSCACHE1 magic"));
    const uint32_t version = in.u32();
    if (version != kDatasetCacheVersion) {
      throw Error(path + ": dataset cache version " + std::to_string(version) + ", this xbarcut reads version " +
                  std::to_string(kDatasetCacheVersion) + "; delete it to rebuild");
    }
    count_ = in.i64(), channels_ = in.i64(), height_ = in.i64(), width_ = in.i64();
    check_in(count_, 0, kMaxCount, "image count", path);
    check_in(channels_, 1, kMaxChannels, "channel count", path);
    check_in(height_, 1, kMaxSide, "height", path);
    check_in(width_, 1, kMaxSide, "width", path);
    num_classes_ = in.i32();
    check_in(num_classes_, 0, INT32_MAX, "class count", path);
    const uint32_t named = in.u32();
    if (named != 0 && named != static_cast<uint32_t>(num_classes_)) {
      throw Error(
          corrupt(path, std::to_string(named) + " class names for " + std::to_string(num_classes_) + " classes"));
    }
    for (uint32_t c = 0; c < named; ++c) class_names_.push_back(in.text());
    name_ = in.text();

    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw Error(path + ": cannot read the dataset cache: " + std::strerror(errno));
    // At most 2^40 * (4 + 16 * 2^40) bytes: 128 bits hold it, 64 may not.
    const auto expected = static_cast<unsigned __int128>(in.offset()) +
                          static_cast<unsigned __int128>(count_) * (kLabelBytes + static_cast<uint64_t>(image_size()));
    if (expected != static_cast<unsigned __int128>(st.st_size)) {
      throw Error(corrupt(path, std::to_string(st.st_size) + " bytes where the header promises " +
                                    std::to_string(static_cast<uint64_t>(expected)) +
                                    (expected > static_cast<uint64_t>(st.st_size) ? ", truncated" : "")));
    }
    std::vector<uint8_t> raw_labels(static_cast<size_t>(count_ * kLabelBytes));
    in.read(raw_labels.data(), static_cast<int64_t>(raw_labels.size()));
    labels_.resize(static_cast<size_t>(count_));
    for (size_t i = 0; i < labels_.size(); ++i) {
      labels_[i] = static_cast<int32_t>(little_endian(raw_labels.data() + i * kLabelBytes));
      if (labels_[i] < 0 || labels_[i] >= num_classes_) {
        throw Error(corrupt(path, "label " + std::to_string(labels_[i]) + " of image " + std::to_string(i) + " for " +
                                      std::to_string(num_classes_) + " classes"));
      }
    }
    pixels_offset_ = in.offset();
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

DatasetCacheFile::~DatasetCacheFile() {
  if (fd_ >= 0) ::close(fd_);
}

DatasetCacheFile::DatasetCacheFile(DatasetCacheFile&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      count_(other.count_),
      channels_(other.channels_),
      height_(other.height_),
      width_(other.width_),
      num_classes_(other.num_classes_),
      class_names_(std::move(other.class_names_)),
      labels_(std::move(other.labels_)),
      name_(std::move(other.name_)),
      pixels_offset_(other.pixels_offset_) {}

DatasetCacheFile& DatasetCacheFile::operator=(DatasetCacheFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    count_ = other.count_, channels_ = other.channels_, height_ = other.height_, width_ = other.width_;
    num_classes_ = other.num_classes_;
    class_names_ = std::move(other.class_names_);
    labels_ = std::move(other.labels_);
    name_ = std::move(other.name_);
    pixels_offset_ = other.pixels_offset_;
  }
  return *this;
}

void DatasetCacheFile::read_range(int64_t begin, int64_t end, uint8_t* out) const {
  if (begin < 0 || end < begin || end > count_) {
    throw Error(path_ + ": images [" + std::to_string(begin) + ", " + std::to_string(end) + ") asked of a cache of " +
                std::to_string(count_));
  }
  if (!pread_exactly(fd_, out, (end - begin) * image_size(), pixels_offset_ + begin * image_size(), path_)) {
    throw Error(corrupt(path_, "it was cut short while open"));
  }
}

void DatasetCacheFile::read_images(const int64_t* index, int64_t n, uint8_t* out) const {
  for (int64_t i = 0; i < n;) {
    int64_t run_end = i + 1;
    while (run_end < n && index[run_end] == index[run_end - 1] + 1) ++run_end;
    read_range(index[i], index[i] + (run_end - i), out + i * image_size());
    i = run_end;
  }
}

ImageSet DatasetCacheFile::load() const {
  ImageSet set;
  set.count = count_;
  set.channels = channels_;
  set.height = height_;
  set.width = width_;
  set.pixels.resize(static_cast<size_t>(count_ * image_size()));
  read_range(0, count_, set.pixels.data());
  set.labels = labels_;
  set.num_classes = num_classes_;
  set.class_names = class_names_;
  set.name = name_;
  return set;
}

ImageFolderCache cache_image_folder(const std::string& dir, const ImageFolderOptions& options,
                                    const std::string& cache_dir, bool build) {
  const ImageFolderListing listing = list_image_folder(dir);
  fs::path root = fs::absolute(dir).lexically_normal();
  if (root.filename().empty()) root = root.parent_path();  // "DIR/" names the same folder as "DIR"
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(fnv1a(cache_key(root, listing, options))));
  const std::string stem = (fs::path(cache_dir) / (readable_stem(root) + "-" + hash)).string();
  ImageFolderCache cache{stem + ".train.xbds", stem + ".test.xbds", false};
  if (fs::is_regular_file(cache.train_path) && fs::is_regular_file(cache.test_path)) return cache;
  if (!build) return {};

  const int64_t images = build_image_folder_cache(listing, options, cache.train_path, cache.test_path);
  std::fprintf(stderr, "cached %s (%lld images) in %s and %s\n", dir.c_str(), static_cast<long long>(images),
               cache.train_path.c_str(), cache.test_path.c_str());
  cache.built = true;
  return cache;
}

int64_t build_image_folder_cache(const ImageFolderListing& listing, const ImageFolderOptions& options,
                                 const std::string& train_path, const std::string& test_path, int64_t chunk_images) {
  CacheFilesSink files(train_path, test_path);
  stream_image_folder(listing, options, files, chunk_images);
  return files.commit();
}

std::string default_cache_dir() {
  std::string dir = env(kCacheDirEnv);
  if (dir.empty() && !env("XDG_CACHE_HOME").empty()) dir = env("XDG_CACHE_HOME") + "/xbarcut";
  if (dir.empty() && !env("HOME").empty()) dir = env("HOME") + "/.cache/xbarcut";
  if (dir.empty()) {
    throw Error(std::string("no cache folder: HOME is not set; set ") + kCacheDirEnv + " to a writable folder");
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || ::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw Error("cannot write to the cache folder " + dir + " (" + (ec ? ec.message() : std::strerror(errno)) +
                "); set " + kCacheDirEnv + " to a writable folder");
  }
  return dir;
}

}  // namespace xbarcut::data
