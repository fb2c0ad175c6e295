// Tests for the dataset cache: the file round trip, per-batch reads in any index order, refusal of damaged files,
// and the image folder cache that is built once and rebuilt when an image changes.
#include "data/dataset_cache.hpp"

#include <sys/resource.h>

#include <chrono>
#include <csignal>
#include <numeric>
#include <set>
#include <thread>

#include "image_folder_test_util.hpp"

namespace xbarcut::data {
namespace {
using namespace testing;

// Five 2x3x4 images with distinct pixels, three named classes.
ImageSet small_set() {
  ImageSet set;
  set.count = 5;
  set.channels = 2;
  set.height = 3;
  set.width = 4;
  for (int64_t i = 0; i < set.count * set.image_size(); ++i) set.pixels.push_back(static_cast<uint8_t>(i * 7 + 1));
  set.labels = {2, 0, 1, 1, 0};
  set.num_classes = 3;
  set.class_names = {"ant", "bee", "cow"};
  set.name = "/data/bugs/train";
  return set;
}

// The images of `set` at `index`, concatenated: what read_images must return.
Bytes images_at(const ImageSet& set, const std::vector<int64_t>& index) {
  Bytes out;
  for (int64_t i : index) out.insert(out.end(), set.image(i), set.image(i) + set.image_size());
  return out;
}

void put_le(Bytes& b, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void put_text(Bytes& b, const std::string& text) {
  put_le(b, text.size(), 4);
  b.insert(b.end(), text.begin(), text.end());
}

// The names of the files in a folder.
std::set<std::string> files_in(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.insert(entry.path().filename().string());
  return names;
}

// Files this process writes stop at `bytes`, as on a full disk: a write past it fails (EFBIG; SIGXFSZ is ignored
// meanwhile, so it does not kill the test).
class ScopedFileSizeLimit {
 public:
  explicit ScopedFileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &old_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = old_;
    limit.rlim_cur = bytes;
    EXPECT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  }
  ~ScopedFileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }
  ScopedFileSizeLimit(const ScopedFileSizeLimit&) = delete;
  ScopedFileSizeLimit& operator=(const ScopedFileSizeLimit&) = delete;

 private:
  rlimit old_{};
  void (*old_handler_)(int) = SIG_DFL;
};

TEST(DatasetCache, FileBytesAreTheDocumentedLayout) {
  TempDir dir;
  const ImageSet set = small_set();
  write_dataset_cache(dir.file("bugs.xbds"), set);
  Bytes expected = {'X', 'B', 'D', 'S', 'C', 'A', 'C', 'H', 'E', '1'};
  put_le(expected, kDatasetCacheVersion, 4);
  for (uint64_t v : {5, 2, 3, 4}) put_le(expected, v, 8);
  put_le(expected, 3, 4);
  put_le(expected, 3, 4);
  for (const char* name : {"ant", "bee", "cow"}) put_text(expected, name);
  put_text(expected, "/data/bugs/train");
  for (int32_t label : set.labels) put_le(expected, static_cast<uint32_t>(label), 4);
  expected.insert(expected.end(), set.pixels.begin(), set.pixels.end());
  EXPECT_EQ(read_raw(dir.file("bugs.xbds")), expected);
  EXPECT_EQ(files_in(dir.str()), std::set<std::string>{"bugs.xbds"});
}

TEST(DatasetCache, AFailedWriteNamesTheFileAndLeavesTheOldOneAndNoTemporaryFile) {
  TempDir dir;
  const ImageSet set = small_set();
  write_dataset_cache(dir.file("bugs.xbds"), set.first(1));
  const Bytes old = read_raw(dir.file("bugs.xbds"));
  {
    ScopedFileSizeLimit full(old.size() + 10);
    expect_error([&] { write_dataset_cache(dir.file("bugs.xbds"), set); },
                 {"cannot write dataset cache " + dir.file("bugs.xbds"), "disk not full"});
  }
  EXPECT_EQ(read_raw(dir.file("bugs.xbds")), old);
  EXPECT_EQ(files_in(dir.str()), std::set<std::string>{"bugs.xbds"});
}

TEST(DatasetCache, RoundTripKeepsEveryField) {
  TempDir dir;
  const ImageSet set = small_set();
  write_dataset_cache(dir.file("bugs.xbds"), set);
  const DatasetCacheFile file(dir.file("bugs.xbds"));
  EXPECT_EQ(file.count(), 5);
  EXPECT_EQ(file.channels(), 2);
  EXPECT_EQ(file.height(), 3);
  EXPECT_EQ(file.width(), 4);
  EXPECT_EQ(file.image_size(), 24);
  EXPECT_EQ(file.num_classes(), 3);
  EXPECT_EQ(file.class_names(), set.class_names);
  EXPECT_EQ(file.labels(), set.labels);
  EXPECT_EQ(file.path(), dir.file("bugs.xbds"));
  expect_same_sets(file.load(), set);
  EXPECT_FALSE(std::filesystem::exists(dir.file("bugs.xbds.tmp")));
}

TEST(DatasetCache, UnnamedClassesAndAnEmptySplitRoundTrip) {
  TempDir dir;
  ImageSet set = small_set();
  set.class_names.clear();
  write_dataset_cache(dir.file("a.xbds"), set);
  expect_same_sets(DatasetCacheFile(dir.file("a.xbds")).load(), set);
  ImageSet empty = set.first(0);
  write_dataset_cache(dir.file("b.xbds"), empty);
  expect_same_sets(DatasetCacheFile(dir.file("b.xbds")).load(), empty);
}

TEST(DatasetCache, ReadsImagesInAnyOrderAndRanges) {
  TempDir dir;
  const ImageSet set = small_set();
  write_dataset_cache(dir.file("bugs.xbds"), set);
  const DatasetCacheFile file(dir.file("bugs.xbds"));
  for (const std::vector<int64_t>& index :
       std::vector<std::vector<int64_t>>{{3, 1, 4, 0, 2}, {0, 1, 2, 3, 4}, {1, 2, 3}, {4, 0, 1, 2, 2, 3}, {4}, {}}) {
    Bytes out(index.size() * static_cast<size_t>(file.image_size()));
    file.read_images(index.data(), static_cast<int64_t>(index.size()), out.data());
    EXPECT_EQ(out, images_at(set, index));
  }
  Bytes range(3 * static_cast<size_t>(file.image_size()));
  file.read_range(1, 4, range.data());
  EXPECT_EQ(range, images_at(set, {1, 2, 3}));
  const int64_t outside[] = {2, 5};
  expect_error([&] { file.read_images(outside, 2, range.data()); }, {dir.file("bugs.xbds"), "[5, 6)"});
  expect_error([&] { file.read_range(-1, 1, range.data()); }, {dir.file("bugs.xbds")});
}

TEST(DatasetCache, MovedFileStaysReadable) {
  TempDir dir;
  const ImageSet set = small_set();
  write_dataset_cache(dir.file("bugs.xbds"), set);
  DatasetCacheFile first(dir.file("bugs.xbds"));
  DatasetCacheFile moved(std::move(first));
  DatasetCacheFile assigned(dir.file("bugs.xbds"));
  assigned = std::move(moved);
  expect_same_sets(assigned.load(), set);
}

TEST(DatasetCache, DamagedFilesAreRefusedSayingToDeleteThem) {
  TempDir dir;
  write_dataset_cache(dir.file("bugs.xbds"), small_set());
  const Bytes good = read_raw(dir.file("bugs.xbds"));
  Bytes truncated(good.begin(), good.end() - 1);
  write_raw(dir.file("short.xbds"), truncated);
  expect_error([&] { DatasetCacheFile(dir.file("short.xbds")); }, {dir.file("short.xbds"), "truncated", "delete it"});
  write_raw(dir.file("header.xbds"), Bytes(good.begin(), good.begin() + 20));
  expect_error([&] { DatasetCacheFile(dir.file("header.xbds")); }, {dir.file("header.xbds"), "delete it"});
  Bytes longer = good;
  longer.push_back(0);
  write_raw(dir.file("long.xbds"), longer);
  expect_error([&] { DatasetCacheFile(dir.file("long.xbds")); }, {dir.file("long.xbds"), "delete it"});
  write_raw(dir.file("foreign.xbds"), Bytes(100, 'x'));
  expect_error([&] { DatasetCacheFile(dir.file("foreign.xbds")); }, {dir.file("foreign.xbds"), "magic", "delete it"});
  expect_error([&] { DatasetCacheFile(dir.file("missing.xbds")); }, {dir.file("missing.xbds"), "cannot open"});
}

TEST(DatasetCache, InconsistentSplitIsNotWritten) {
  TempDir dir;
  ImageSet set = small_set();
  set.pixels.pop_back();
  expect_error([&] { write_dataset_cache(dir.file("a.xbds"), set); }, {dir.file("a.xbds"), "pixel bytes"});
  set = small_set();
  set.labels[2] = 3;
  expect_error([&] { write_dataset_cache(dir.file("a.xbds"), set); }, {dir.file("a.xbds"), "label 3"});
  EXPECT_FALSE(std::filesystem::exists(dir.file("a.xbds")));
}

TEST(ImageFolderCache, BuiltOnceThenReusedAndRebuiltWhenAnImageChanges) {
  TempDir images, cache;
  write_small_folder(images.str());
  ImageFolderCache first;
  ::testing::internal::CaptureStderr();
  first = cache_image_folder(images.str(), {}, cache.str());
  const std::string printed = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(first.built);
  EXPECT_NE(printed.find("cached " + images.str() + " (8 images) in " + first.train_path), std::string::npos)
      << printed;
  const DatasetSplit decoded = read_image_folder(images.str(), {});
  expect_same_sets(DatasetCacheFile(first.train_path).load(), decoded.train);
  expect_same_sets(DatasetCacheFile(first.test_path).load(), decoded.test);

  const ImageFolderCache again = cache_image_folder(images.str() + "/", {}, cache.str());
  EXPECT_FALSE(again.built);
  EXPECT_EQ(again.train_path, first.train_path);
  EXPECT_EQ(again.test_path, first.test_path);

  ImageFolderOptions grey3;
  grey3.channels = 3;
  ::testing::internal::CaptureStderr();
  const ImageFolderCache other_options = cache_image_folder(images.str(), grey3, cache.str());
  ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(other_options.built);
  EXPECT_NE(other_options.train_path, first.train_path);
  EXPECT_EQ(DatasetCacheFile(other_options.train_path).channels(), 3);

  const std::string touched = images.str() + "/test/dog/a.png";
  std::filesystem::last_write_time(touched, std::filesystem::last_write_time(touched) + std::chrono::seconds(1));
  ::testing::internal::CaptureStderr();
  const ImageFolderCache after_touch = cache_image_folder(images.str(), {}, cache.str());
  ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(after_touch.built);
  EXPECT_NE(after_touch.test_path, first.test_path);
  EXPECT_FALSE(cache_image_folder(images.str(), {}, cache.str()).built);

  write_image(images.str() + "/train/cat/c.png", pattern_image(4, 5, 1, 50));
  ::testing::internal::CaptureStderr();
  const ImageFolderCache after_add = cache_image_folder(images.str(), {}, cache.str());
  ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(after_add.built);
  EXPECT_EQ(DatasetCacheFile(after_add.train_path).count(), 5);
}

TEST(ImageFolderCache, StreamedBuildIsByteForByteWhatReadImageFolderGives) {
  TempDir images, cache;
  write_folder_with_bad_images(images.str());
  ImageFolderOptions skip;
  skip.skip_unreadable = true;
  ImageFolderOptions grey_crop = skip;
  grey_crop.channels = 1;
  grey_crop.resize_height = 12, grey_crop.resize_width = 10;
  grey_crop.crop_height = 9, grey_crop.crop_width = 7;
  for (const ImageFolderOptions& options : {skip, grey_crop}) {
    ::testing::internal::CaptureStderr();
    const DatasetSplit whole = read_image_folder(images.str(), options);
    write_dataset_cache(cache.file("whole.train"), whole.train);
    write_dataset_cache(cache.file("whole.test"), whole.test);
    ::testing::internal::GetCapturedStderr();
    for (const int64_t chunk : {1, 3, 4, 13, 0}) {
      SCOPED_TRACE(describe(options) + ", chunk " + std::to_string(chunk));
      ::testing::internal::CaptureStderr();
      const int64_t images_written = build_image_folder_cache(list_image_folder(images.str()), options,
                                                              cache.file("s.train"), cache.file("s.test"), chunk);
      ::testing::internal::GetCapturedStderr();
      EXPECT_EQ(images_written, 17);
      EXPECT_EQ(read_raw(cache.file("s.train")), read_raw(cache.file("whole.train")));
      EXPECT_EQ(read_raw(cache.file("s.test")), read_raw(cache.file("whole.test")));
      expect_same_sets(DatasetCacheFile(cache.file("s.train")).load(), whole.train);
      EXPECT_EQ(files_in(cache.str()), (std::set<std::string>{"s.test", "s.train", "whole.test", "whole.train"}));
    }
  }
}

TEST(ImageFolderCache, AFailedBuildLeavesNoFileBehind) {
  TempDir images, cache;
  write_folder_with_bad_images(images.str());
  const ImageFolderListing listing = list_image_folder(images.str());
  const std::string train = cache.file("x.train"), test = cache.file("x.test");
  // Not skipped: the image refused by its header stops the build before any file is opened, the one refused when
  // decoded after train images were written.
  expect_error([&] { build_image_folder_cache(listing, {}, train, test, 2); }, {images.str() + "/train/b/2.png"});
  EXPECT_TRUE(std::filesystem::is_empty(cache.str()));
  std::filesystem::remove(images.str() + "/train/b/2.png");
  expect_error([&] { build_image_folder_cache(list_image_folder(images.str()), {}, train, test, 2); },
               {images.str() + "/train/b/3.png", "--bad-images skip"});
  EXPECT_TRUE(std::filesystem::is_empty(cache.str()));
  expect_error([&] { cache_image_folder(images.str(), {}, cache.str()); }, {images.str() + "/train/b/3.png"});
  EXPECT_TRUE(std::filesystem::is_empty(cache.str()));

  // Every test image unreadable: refused once the train file is whole, and it is not kept.
  for (int i = 0; i < 5; ++i) {
    write_raw(images.str() + "/test/" + (i < 3 ? "a/" : "c/") + std::to_string(i) + ".png", {1});
  }
  ImageFolderOptions skip;
  skip.skip_unreadable = true;
  ::testing::internal::CaptureStderr();
  expect_error([&] { build_image_folder_cache(list_image_folder(images.str()), skip, train, test, 2); },
               {images.str() + "/test", "no readable images"});
  ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(std::filesystem::is_empty(cache.str()));
}

TEST(ImageFolderCache, AFullDiskIsOneLineNamingTheFileAndLeavesNothing) {
  TempDir images, cache;
  write_folder_with_bad_images(images.str(), false);
  const ImageFolderListing listing = list_image_folder(images.str());
  {
    ScopedFileSizeLimit full(2000);  // a few of the 16x16 colour train images
    expect_error([&] { build_image_folder_cache(listing, {}, cache.file("x.train"), cache.file("x.test"), 2); },
                 {"cannot write dataset cache " + cache.file("x.train"), "disk not full"});
  }
  EXPECT_TRUE(std::filesystem::is_empty(cache.str()));
}

TEST(ImageFolderCache, TwoBuildsOfOneCacheAtOnceShareNoTemporaryFile) {
  TempDir images, cache;
  write_folder_with_bad_images(images.str(), false);
  const ImageFolderListing listing = list_image_folder(images.str());
  const std::string train = cache.file("x.train"), test = cache.file("x.test");
  std::vector<std::thread> builders;
  std::vector<std::string> failures(4);
  for (size_t t = 0; t < failures.size(); ++t) {
    builders.emplace_back([&, t] {
      try {
        build_image_folder_cache(listing, {}, train, test, 1);
      } catch (const std::exception& e) {
        failures[t] = e.what();
      }
    });
  }
  for (auto& builder : builders) builder.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");
  const DatasetSplit whole = read_image_folder(images.str(), {});
  expect_same_sets(DatasetCacheFile(train).load(), whole.train);
  expect_same_sets(DatasetCacheFile(test).load(), whole.test);
  EXPECT_EQ(files_in(cache.str()), (std::set<std::string>{"x.test", "x.train"}));
}

TEST(ImageFolderCache, LayoutErrorsComeBeforeAnyCaching) {
  TempDir images, cache;
  images.subdir("train/a");
  expect_error([&] { cache_image_folder(images.str(), {}, cache.str()); }, {images.str(), "test/"});
  EXPECT_TRUE(std::filesystem::is_empty(cache.str()));
}

TEST(ImageFolderCache, DefaultFolderFollowsTheEnvironment) {
  TempDir dir;
  {
    ScopedEnv cache(kCacheDirEnv, dir.file("explicit"));
    EXPECT_EQ(default_cache_dir(), dir.file("explicit"));
    EXPECT_TRUE(std::filesystem::is_directory(dir.file("explicit")));
  }
  {
    ScopedEnv cache(kCacheDirEnv, std::nullopt);
    ScopedEnv xdg("XDG_CACHE_HOME", dir.file("xdg"));
    EXPECT_EQ(default_cache_dir(), dir.file("xdg") + "/xbarcut");
  }
  {
    ScopedEnv cache(kCacheDirEnv, "");
    ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
    ScopedEnv home("HOME", dir.file("home"));
    EXPECT_EQ(default_cache_dir(), dir.file("home") + "/.cache/xbarcut");
  }
  write_raw(dir.file("a_file"), {1});
  ScopedEnv cache(kCacheDirEnv, dir.file("a_file") + "/cache");
  expect_error([] { default_cache_dir(); }, {dir.file("a_file") + "/cache", "set XBARCUT_CACHE"});
}

}  // namespace
}  // namespace xbarcut::data
