// A decoded split as one compact binary file, read per batch, so an image folder is decoded once and a dataset
// larger than memory never loads whole. Reads are pread()s rather than a memory map: a mapped file's touched pages
// count in the process's resident memory, per-batch reads keep only a batch resident (the page cache does the rest).
//
// File layout, every integer little-endian:
//   "XBDSCACHE1"                    10 bytes, the magic
//   u32 version                     kDatasetCacheVersion
//   i64 count, channels, height, width
//   i32 num_classes
//   u32 number of class names       0 or num_classes; then each name as u32 length + bytes
//   u32 length + bytes              the split's name (ImageSet::name)
//   i32 labels[count]
//   u8  pixels[count * channels * height * width]   CHW per image; image i has labels[i]
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/image_folder.hpp"
#include "data/image_set.hpp"

namespace xbarcut::data {

constexpr uint32_t kDatasetCacheVersion = 1;

// Environment variable naming the cache folder (default_cache_dir).
constexpr const char* kCacheDirEnv = "XBARCUT_CACHE";

// Writes `split` to `path` atomically: to a temporary file beside it unique to this process (PATH.tmp.PID.N, so
// two processes writing the same cache never share one), synced, then renamed over `path`. Throws a one-line Error
// when the split is inconsistent (pixels or labels not matching count) or the file cannot be written (a full disk,
// say: the message names `path`); the temporary file is removed then, and `path` left as it was.
void write_dataset_cache(const std::string& path, const ImageSet& split);

// An open cache file: the header and labels in memory, the pixels read on demand.
class DatasetCacheFile {
 public:
  // Reads the header and labels and checks the file's size matches them; a truncated or foreign file throws a
  // one-line Error naming it and saying to delete it to rebuild.
  explicit DatasetCacheFile(const std::string& path);
  ~DatasetCacheFile();
  DatasetCacheFile(const DatasetCacheFile&) = delete;
  DatasetCacheFile& operator=(const DatasetCacheFile&) = delete;
  DatasetCacheFile(DatasetCacheFile&& other) noexcept;
  DatasetCacheFile& operator=(DatasetCacheFile&& other) noexcept;

  int64_t count() const { return count_; }
  int64_t channels() const { return channels_; }
  int64_t height() const { return height_; }
  int64_t width() const { return width_; }
  int64_t image_size() const { return channels_ * height_ * width_; }
  int num_classes() const { return num_classes_; }
  const std::vector<std::string>& class_names() const { return class_names_; }
  const std::vector<int32_t>& labels() const { return labels_; }
  const std::string& name() const { return name_; }
  const std::string& path() const { return path_; }

  // Images index[0..n) into out (n * image_size() bytes), in that order. Runs of consecutive indices are read
  // with one pread each. Thread-safe (no shared file position). Throws for an index outside [0, count).
  void read_images(const int64_t* index, int64_t n, uint8_t* out) const;
  // Images [begin, end) into out, in one pread.
  void read_range(int64_t begin, int64_t end, uint8_t* out) const;
  // The whole split in memory.
  ImageSet load() const;

 private:
  std::string path_;
  int fd_ = -1;
  int64_t count_ = 0, channels_ = 0, height_ = 0, width_ = 0;
  int num_classes_ = 0;
  std::vector<std::string> class_names_;
  std::vector<int32_t> labels_;
  std::string name_;
  int64_t pixels_offset_ = 0;  // where image 0 starts in the file
};

// The two cache files of an image folder; `built` when this call decoded the folder, false when reused.
struct ImageFolderCache {
  std::string train_path, test_path;
  bool built = false;
};

// The cache of an image folder under cache_dir: one train and one test file named by a hash of the folder's
// absolute path, every image file's relative path, size and modification time, and describe(options). Built by
// build_image_folder_cache when missing (printing "cached DIR (N images) in ..." on stderr), reused otherwise; any
// change to an image, or other options, gives new files (stale ones are left in place). With `build` false a missing
// cache is not built: the paths come back empty.
ImageFolderCache cache_image_folder(const std::string& dir, const ImageFolderOptions& options,
                                    const std::string& cache_dir, bool build = true);

// cache_image_folder's build, in the open so tests can force many small chunks: the listed folder decoded by
// stream_image_folder (`chunk_images` at a time, 0 the default) and written as it comes to temporary files beside
// train_path and test_path, so the build holds one chunk of pixels, never a split. Both files are renamed into
// place only when both are whole and synced; on any error neither temporary file is left, nor a lone train file.
// The bytes are those write_dataset_cache writes for read_image_folder's splits. Returns the number of images.
int64_t build_image_folder_cache(const ImageFolderListing& listing, const ImageFolderOptions& options,
                                 const std::string& train_path, const std::string& test_path, int64_t chunk_images = 0);

// $XBARCUT_CACHE, else $XDG_CACHE_HOME/xbarcut, else $HOME/.cache/xbarcut; created when missing. Throws a one-line
// Error, saying to set XBARCUT_CACHE, when it cannot be created or written.
std::string default_cache_dir();

}  // namespace xbarcut::data
