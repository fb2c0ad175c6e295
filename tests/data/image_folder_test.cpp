// Tests for the image folder reader on folders generated here: labels from sorted class folders, exact pixels for
// lossless files, channel conversion, resize, centre crop, the fit rule, and every refusal with its one line.
#include "data/image_folder.hpp"

#include <cstdlib>

#include "image_folder_test_util.hpp"

namespace xbarcut::data {
namespace {
using namespace testing;

// Expects image i of `set` to be `img` exactly (same channels), CHW against HWC.
void expect_same_pixels(const ImageSet& set, int64_t i, const TestImage& img) {
  ASSERT_EQ(set.channels, img.channels);
  ASSERT_EQ(set.height, img.height);
  ASSERT_EQ(set.width, img.width);
  for (int c = 0; c < img.channels; ++c)
    for (int y = 0; y < img.height; ++y)
      for (int x = 0; x < img.width; ++x)
        ASSERT_EQ(set.pixel(i, c, y, x), img.at(y, x, c)) << c << "," << y << "," << x;
}

// Expects every pixel of image i to be `value`: what any resize filter makes of a flat image.
void expect_flat(const ImageSet& set, int64_t i, uint8_t value) {
  for (int64_t p = 0; p < set.image_size(); ++p) ASSERT_EQ(set.image(i)[p], value) << "image " << i << " byte " << p;
}

ImageFolderOptions resized_to(int64_t height, int64_t width) {
  ImageFolderOptions options;
  options.resize_height = height, options.resize_width = width;
  return options;
}

uint8_t bt601(const TestImage& img, int y, int x) {
  return static_cast<uint8_t>((299 * img.at(y, x, 0) + 587 * img.at(y, x, 1) + 114 * img.at(y, x, 2) + 500) / 1000);
}

TEST(ImageFolder, LabelsFollowSortedClassNamesAndFilesAreInSortedOrder) {
  TempDir dir;
  // Byte order puts upper case first, as Python's sorted() does for torchvision.
  const std::vector<std::string> classes = {"zebra", "Apple", "cat"};
  std::vector<TestImage> written;
  for (int k = 0; k < 3; ++k) {
    write_image(dir.str() + "/train/" + classes[k] + "/2.png", pattern_image(3, 4, 1, 10 * k + 2));
    write_image(dir.str() + "/train/" + classes[k] + "/1.png", pattern_image(3, 4, 1, 10 * k + 1));
  }
  write_image(dir.str() + "/test/zebra/x.png", pattern_image(3, 4, 1, 99));
  const DatasetSplit split = read_image_folder(dir.str(), {});
  EXPECT_EQ(split.train.class_names, (std::vector<std::string>{"Apple", "cat", "zebra"}));
  EXPECT_EQ(split.train.num_classes, 3);
  EXPECT_EQ(split.train.labels, (std::vector<int32_t>{0, 0, 1, 1, 2, 2}));
  expect_same_pixels(split.train, 0, pattern_image(3, 4, 1, 11));  // Apple/1.png
  expect_same_pixels(split.train, 1, pattern_image(3, 4, 1, 12));  // Apple/2.png
  expect_same_pixels(split.train, 5, pattern_image(3, 4, 1, 2));   // zebra/2.png
  // The test split uses the train's class list, even with one class.
  EXPECT_EQ(split.test.class_names, split.train.class_names);
  EXPECT_EQ(split.test.num_classes, 3);
  EXPECT_EQ(split.test.labels, std::vector<int32_t>{2});
  expect_same_pixels(split.test, 0, pattern_image(3, 4, 1, 99));
  EXPECT_EQ(split.train.name, dir.str() + "/train");
}

TEST(ImageFolder, PngAndBmpColourPixelsAreExact) {
  TempDir dir;
  write_image(dir.str() + "/train/a/1.png", pattern_image(5, 6, 3, 1));
  write_image(dir.str() + "/train/a/2.bmp", pattern_image(5, 6, 3, 2));
  write_image(dir.str() + "/test/a/3.PNG", pattern_image(5, 6, 3, 3));  // extensions in any case
  const DatasetSplit split = read_image_folder(dir.str(), {});
  ASSERT_EQ(split.train.count, 2);
  expect_same_pixels(split.train, 0, pattern_image(5, 6, 3, 1));
  expect_same_pixels(split.train, 1, pattern_image(5, 6, 3, 2));
  expect_same_pixels(split.test, 0, pattern_image(5, 6, 3, 3));
}

TEST(ImageFolder, JpegPixelsAreClose) {
  TempDir dir;
  TestImage smooth{16, 16, 3, {}};
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x)
      for (int c = 0; c < 3; ++c) smooth.hwc.push_back(static_cast<uint8_t>(40 + 8 * y + 4 * x + 20 * c));
  write_image(dir.str() + "/train/a/1.jpg", smooth);
  write_image(dir.str() + "/test/a/1.jpeg", smooth);
  const DatasetSplit split = read_image_folder(dir.str(), {});
  ASSERT_EQ(split.train.channels, 3);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 16; ++y)
      for (int x = 0; x < 16; ++x) EXPECT_NEAR(split.train.pixel(0, c, y, x), smooth.at(y, x, c), 12);
}

TEST(ImageFolder, IgnoresOtherAndHiddenFilesAndReadsSubfolders) {
  TempDir dir;
  write_image(dir.str() + "/train/a/1.png", pattern_image(2, 2, 1, 1));
  write_image(dir.str() + "/train/a/deeper/2.png", pattern_image(2, 2, 1, 2));
  write_image(dir.str() + "/train/a/.hidden.png", pattern_image(9, 9, 1, 3));
  write_raw(dir.str() + "/train/a/notes.txt", {1, 2, 3});
  write_image(dir.str() + "/train/.ipynb_checkpoints/1.png", pattern_image(2, 2, 1, 4));
  write_image(dir.str() + "/test/a/1.png", pattern_image(2, 2, 1, 5));
  const DatasetSplit split = read_image_folder(dir.str(), {});
  EXPECT_EQ(split.train.class_names, std::vector<std::string>{"a"});
  ASSERT_EQ(split.train.count, 2);
  expect_same_pixels(split.train, 1, pattern_image(2, 2, 1, 2));
}

TEST(ImageFolder, AutoChannelsAreColourWhenAnyImageIsAndGreyIsReplicated) {
  TempDir dir;
  write_image(dir.str() + "/train/a/grey.png", pattern_image(3, 3, 1, 1));
  write_image(dir.str() + "/train/a/grey_alpha.png", pattern_image(3, 3, 2, 2));
  write_image(dir.str() + "/test/a/colour.png", pattern_image(3, 3, 3, 3));  // colour only in test still counts
  const DatasetSplit split = read_image_folder(dir.str(), {});
  ASSERT_EQ(split.train.channels, 3);
  const TestImage grey = pattern_image(3, 3, 1, 1);
  const TestImage grey_alpha = pattern_image(3, 3, 2, 2);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 3; ++x) {
        EXPECT_EQ(split.train.pixel(0, c, y, x), grey.at(y, x, 0));
        EXPECT_EQ(split.train.pixel(1, c, y, x), grey_alpha.at(y, x, 0));  // alpha dropped
      }
  expect_same_pixels(split.test, 0, pattern_image(3, 3, 3, 3));
}

TEST(ImageFolder, AutoChannelsStayGreyAndAlphaIsDropped) {
  TempDir dir;
  write_image(dir.str() + "/train/a/1.png", pattern_image(3, 3, 2, 1));
  write_image(dir.str() + "/test/a/1.png", pattern_image(3, 3, 1, 2));
  const DatasetSplit split = read_image_folder(dir.str(), {});
  ASSERT_EQ(split.train.channels, 1);
  const TestImage grey_alpha = pattern_image(3, 3, 2, 1);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 3; ++x) EXPECT_EQ(split.train.pixel(0, 0, y, x), grey_alpha.at(y, x, 0));
}

// stb calls a palette BMP RGB; a grey palette (how grey BMPs are usually written) keeps the folder grey.
TEST(ImageFolder, GreyPaletteBmpsAreGreyAndAColourPaletteIsColour) {
  TempDir dir;
  const TestImage grey = pattern_image(3, 5, 1, 1);
  write_palette_bmp(dir.str() + "/train/a/1.bmp", grey);
  write_image(dir.str() + "/test/a/1.png", pattern_image(3, 5, 1, 2));
  const DatasetSplit split = read_image_folder(dir.str(), {});
  ASSERT_EQ(split.train.channels, 1);
  expect_same_pixels(split.train, 0, grey);

  write_palette_bmp(dir.str() + "/train/a/2.bmp", grey, /*tint_entry=*/200);
  EXPECT_EQ(read_image_folder(dir.str(), {}).train.channels, 3);
}

TEST(ImageFolder, ColourBecomesGreyWithBt601LumaAndRgbaLosesAlpha) {
  TempDir dir;
  const TestImage rgb = pattern_image(4, 3, 3, 1);
  const TestImage rgba = pattern_image(4, 3, 4, 2);
  write_image(dir.str() + "/train/a/rgb.png", rgb);
  write_image(dir.str() + "/train/a/rgba.png", rgba);
  write_image(dir.str() + "/test/a/grey.png", pattern_image(4, 3, 1, 3));
  ImageFolderOptions options;
  options.channels = 1;
  const DatasetSplit grey = read_image_folder(dir.str(), options);
  ASSERT_EQ(grey.train.channels, 1);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 3; ++x) {
      EXPECT_EQ(grey.train.pixel(0, 0, y, x), bt601(rgb, y, x));
      EXPECT_EQ(grey.train.pixel(1, 0, y, x), bt601(rgba, y, x));
    }
  expect_same_pixels(grey.test, 0, pattern_image(4, 3, 1, 3));

  options.channels = 3;
  const DatasetSplit colour = read_image_folder(dir.str(), options);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 3; ++x) EXPECT_EQ(colour.train.pixel(1, c, y, x), rgba.at(y, x, c));
}

TEST(ImageFolder, ResizesToTheGivenSizeAndCopiesImagesAlreadyThatSize) {
  TempDir dir;
  write_image(dir.str() + "/train/a/big.png", flat_image(8, 12, 3, 200));
  write_image(dir.str() + "/train/a/small.png", flat_image(2, 3, 3, 90));
  write_image(dir.str() + "/test/a/exact.png", pattern_image(4, 6, 3, 7));
  const DatasetSplit split = read_image_folder(dir.str(), resized_to(4, 6));
  ASSERT_EQ(split.train.height, 4);
  ASSERT_EQ(split.train.width, 6);
  expect_flat(split.train, 0, 200);
  expect_flat(split.train, 1, 90);
  expect_same_pixels(split.test, 0, pattern_image(4, 6, 3, 7));
}

TEST(ImageFolder, CentreCropTakesTheMiddleWindowAfterResizing) {
  TempDir dir;
  const TestImage img = pattern_image(7, 8, 1, 1);
  write_image(dir.str() + "/train/a/1.png", img);
  write_image(dir.str() + "/test/a/1.png", img);
  ImageFolderOptions options;
  options.crop_height = 4;  // margin 3: one row above, two below
  options.crop_width = 2;   // margin 6: three columns each side
  const DatasetSplit split = read_image_folder(dir.str(), options);
  ASSERT_EQ(split.train.height, 4);
  ASSERT_EQ(split.train.width, 2);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 2; ++x) EXPECT_EQ(split.train.pixel(0, 0, y, x), img.at(y + 1, x + 3, 0));

  options = resized_to(14, 16);
  options.crop_height = 14, options.crop_width = 17;
  expect_error([&] { read_image_folder(dir.str(), options); }, {dir.str(), "crop 14x17", "larger", "14x16"});
}

TEST(ImageFolder, FitResizesOnlyImagesOfAnotherSize) {
  TempDir dir;
  write_image(dir.str() + "/train/a/fits.png", pattern_image(4, 4, 1, 1));
  write_image(dir.str() + "/train/a/other.png", flat_image(6, 2, 1, 77));
  write_image(dir.str() + "/test/a/1.png", flat_image(8, 8, 1, 33));
  ImageFolderOptions options;
  options.fit_height = 4, options.fit_width = 4;
  const DatasetSplit split = read_image_folder(dir.str(), options);
  expect_same_pixels(split.train, 0, pattern_image(4, 4, 1, 1));
  expect_flat(split.train, 1, 77);
  expect_flat(split.test, 0, 33);

  // An explicit resize wins over fit.
  options.resize_height = 2, options.resize_width = 3;
  const DatasetSplit resized = read_image_folder(dir.str(), options);
  EXPECT_EQ(resized.train.height, 2);
  EXPECT_EQ(resized.train.width, 3);
}

TEST(ImageFolder, MixedSizesWithoutResizeNameTwoFilesAndSuggestResize) {
  TempDir dir;
  write_image(dir.str() + "/train/a/1.png", pattern_image(4, 5, 1, 1));
  write_image(dir.str() + "/test/a/2.png", pattern_image(6, 5, 1, 2));
  expect_error([&] { read_image_folder(dir.str(), {}); },
               {"train/a/1.png is 4x5", "test/a/2.png is 6x5", "--resize HxW"});
}

TEST(ImageFolder, CorruptImageIsRefusedWithItsPathOrSkipped) {
  TempDir dir;
  write_image(dir.str() + "/train/a/1.png", pattern_image(3, 3, 1, 1));
  write_raw(dir.str() + "/train/a/2.png", {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'});
  write_image(dir.str() + "/train/b/3.png", pattern_image(3, 3, 1, 3));
  write_image(dir.str() + "/test/a/4.png", pattern_image(3, 3, 1, 4));
  expect_error([&] { read_image_folder(dir.str(), {}); }, {dir.str() + "/train/a/2.png", "--bad-images skip"});

  ImageFolderOptions options;
  options.skip_unreadable = true;
  ::testing::internal::CaptureStderr();
  const DatasetSplit split = read_image_folder(dir.str(), options);
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(warnings.find("train/a/2.png"), std::string::npos) << warnings;
  EXPECT_EQ(split.train.labels, (std::vector<int32_t>{0, 1}));
  expect_same_pixels(split.train, 1, pattern_image(3, 3, 1, 3));
}

TEST(ImageFolder, ImageWhoseHeaderIsGoodButDataCutIsRefusedOrSkipped) {
  TempDir dir;
  write_image(dir.str() + "/train/a/1.png", pattern_image(16, 16, 3, 1));
  write_image(dir.str() + "/train/a/2.png", pattern_image(16, 16, 3, 2));
  write_image(dir.str() + "/test/a/3.png", pattern_image(16, 16, 3, 3));
  Bytes png = read_raw(dir.str() + "/train/a/1.png");
  png.resize(png.size() / 2);  // the header still says 16x16, the pixel data stops half-way
  write_raw(dir.str() + "/train/a/1.png", png);
  expect_error([&] { read_image_folder(dir.str(), {}); }, {dir.str() + "/train/a/1.png", "--bad-images skip"});

  ImageFolderOptions options;
  options.skip_unreadable = true;
  ::testing::internal::CaptureStderr();
  const DatasetSplit split = read_image_folder(dir.str(), options);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("1.png"), std::string::npos);
  ASSERT_EQ(split.train.count, 1);
  expect_same_pixels(split.train, 0, pattern_image(16, 16, 3, 2));
}

TEST(ImageFolder, NoReadableImagesLeftIsRefused) {
  TempDir dir;
  dir.subdir("train/a");
  write_raw(dir.str() + "/train/a/1.png", {1, 2, 3});
  write_image(dir.str() + "/test/a/1.png", pattern_image(2, 2, 1, 1));
  ImageFolderOptions options;
  options.skip_unreadable = true;
  ::testing::internal::CaptureStderr();
  expect_error([&] { read_image_folder(dir.str(), options); }, {dir.str() + "/train", "no readable images"});
  ::testing::internal::GetCapturedStderr();
}

TEST(ImageFolder, LayoutProblemsAreOneLineEach) {
  TempDir dir;
  expect_error([&] { read_image_folder(dir.file("missing"), {}); }, {dir.file("missing"), "no such folder"});
  write_raw(dir.file("file"), {1});
  expect_error([&] { read_image_folder(dir.file("file"), {}); }, {dir.file("file"), "not a folder"});
  dir.subdir("d/test/a");
  expect_error([&] { read_image_folder(dir.file("d"), {}); }, {dir.file("d"), "no train/ folder"});
  dir.subdir("d/train");
  expect_error([&] { read_image_folder(dir.file("d"), {}); }, {dir.file("d/train"), "no class folders"});
  dir.subdir("d/train/a");
  write_raw(dir.file("d/train/a/readme.txt"), {1});
  expect_error([&] { read_image_folder(dir.file("d"), {}); }, {dir.file("d/train/a"), "empty class folder", ".png"});
  write_image(dir.file("d/train/a/1.png"), pattern_image(2, 2, 1, 1));
  write_image(dir.file("d/test/a/1.png"), pattern_image(2, 2, 1, 1));
  write_image(dir.file("d/test/b/1.png"), pattern_image(2, 2, 1, 1));
  expect_error([&] { read_image_folder(dir.file("d"), {}); }, {dir.file("d/test/b"), "class 'b' is not in train/"});
}

TEST(ImageFolder, BadOptionsNameTheirField) {
  TempDir dir;
  write_small_folder(dir.str());
  ImageFolderOptions options;
  options.resize_height = 4;
  expect_error([&] { read_image_folder(dir.str(), options); }, {"`resize_height`", "both"});
  options = {};
  options.channels = 2;
  expect_error([&] { read_image_folder(dir.str(), options); }, {"`channels`", "1 (grey) or 3"});
}

TEST(ImageFolder, ManyImagesDecodeInFileOrderOnAllCores) {
  TempDir dir;
  for (int i = 0; i < 60; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "/train/c%d/%03d.png", i % 3, i);
    write_image(dir.str() + name, pattern_image(5, 5, 3, i));
  }
  write_image(dir.str() + "/test/c0/x.png", pattern_image(5, 5, 3, 0));
  const DatasetSplit split = read_image_folder(dir.str(), {});
  ASSERT_EQ(split.train.count, 60);
  for (int64_t k = 0; k < 60; ++k) {
    const int cls = static_cast<int>(k / 20), i = static_cast<int>(k % 20) * 3 + cls;
    ASSERT_EQ(split.train.label(k), cls);
    expect_same_pixels(split.train, k, pattern_image(5, 5, 3, i));
  }
}

// Records what stream_image_folder hands over.
struct RecordingSink : ImageFolderSink {
  ImageSet splits[2];
  int64_t max_count[2] = {-1, -1};
  std::vector<std::pair<int, int64_t>> calls;  // split, images
  void start(const ImageSet (&s)[2], const int64_t (&m)[2]) override {
    for (int i = 0; i < 2; ++i) splits[i] = s[i], max_count[i] = m[i];
  }
  void append(int split, const int32_t* labels, const uint8_t* pixels, int64_t n) override {
    ImageSet& set = splits[split];
    set.pixels.insert(set.pixels.end(), pixels, pixels + n * set.image_size());
    set.labels.insert(set.labels.end(), labels, labels + n);
    set.count += n;
    calls.emplace_back(split, n);
  }
};

TEST(ImageFolder, StreamingInChunksGivesWhatReadImageFolderGivesInFileOrder) {
  TempDir dir;
  write_folder_with_bad_images(dir.str());
  ImageFolderOptions options;
  options.skip_unreadable = true;
  ::testing::internal::CaptureStderr();
  const DatasetSplit whole = read_image_folder(dir.str(), options);
  const std::string read_warnings = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(whole.train.count, 12);
  ASSERT_EQ(whole.test.count, 5);
  EXPECT_EQ(whole.train.labels, (std::vector<int32_t>{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}));
  const TestImage first_colour = pattern_image(16, 16, 3, 0);
  expect_same_pixels(whole.train, 0, first_colour);
  for (const int64_t chunk : {1, 2, 3, 5, 7, 64, 0}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    RecordingSink sink;
    ::testing::internal::CaptureStderr();
    stream_image_folder(list_image_folder(dir.str()), options, sink, chunk);
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), read_warnings);  // the same warnings, in the same order
    // The not-an-image file is left out by the header pass; the cut one counts until it fails to decode.
    EXPECT_EQ(sink.max_count[0], 13);
    EXPECT_EQ(sink.max_count[1], 5);
    expect_same_sets(sink.splits[0], whole.train);
    expect_same_sets(sink.splits[1], whole.test);
    // Train before test, and never more than a chunk at a time.
    for (size_t i = 0; i < sink.calls.size(); ++i) {
      EXPECT_GE(sink.calls[i].second, 1);
      if (chunk > 0) EXPECT_LE(sink.calls[i].second, chunk);
      if (i > 0) EXPECT_GE(sink.calls[i].first, sink.calls[i - 1].first);
    }
  }
}

TEST(ImageFolder, StreamingRefusesABadImageOnlyAfterHandingOverTheImagesBeforeIt) {
  TempDir dir;
  write_folder_with_bad_images(dir.str());
  std::filesystem::remove(dir.str() + "/train/b/2.png");  // leave only the image that fails when decoded
  RecordingSink sink;
  expect_error([&] { stream_image_folder(list_image_folder(dir.str()), {}, sink, 2); },
               {dir.str() + "/train/b/3.png", "--bad-images skip"});
  EXPECT_EQ(sink.splits[0].count, 6);  // a/0-3 and b/0-1: the chunks before the one holding b/3.png
  EXPECT_EQ(sink.splits[1].count, 0);
}

TEST(ImageFolder, DescribeListsTheOptionsThatDifferFromTheDefaults) {
  EXPECT_EQ(describe(ImageFolderOptions{}), "as stored");
  ImageFolderOptions options;
  options.resize_height = 32, options.resize_width = 48;
  options.crop_height = 28, options.crop_width = 40;
  options.channels = 1;
  options.skip_unreadable = true;
  EXPECT_EQ(describe(options), "resize 32x48, crop 28x40, 1 channel, skip unreadable images");
  ImageFolderOptions fit;
  fit.fit_height = 28, fit.fit_width = 28;
  EXPECT_EQ(describe(fit), "fit 28x28");
}

}  // namespace
}  // namespace xbarcut::data
