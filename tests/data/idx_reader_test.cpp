// Tests for the IDX reader: every pixel and label of small generated files, raw and gzip'd, and one
// test per malformed case, each expecting a one-line error naming the file.
#include "data/idx_reader.hpp"

#include "data_test_util.hpp"

namespace xbarcut::data {
namespace {
using namespace testing;

class IdxReader : public ::testing::TestWithParam<bool> {};  // param: gzip'd

TEST_P(IdxReader, ReadsEveryPixelAndLabel) {
  TempDir dir;
  const bool gz = GetParam();
  const std::string images = write_maybe_gz(dir.file("imgs"), idx_images(5, 3, 4), gz);
  const std::string labels = write_maybe_gz(dir.file("lbls"), idx_labels(5), gz);

  const ImageSet set = read_idx(images, labels, 10);
  EXPECT_EQ(set.count, 5);
  EXPECT_EQ(set.channels, 1);
  EXPECT_EQ(set.height, 3);
  EXPECT_EQ(set.width, 4);
  EXPECT_EQ(set.num_classes, 10);
  EXPECT_EQ(set.image_size(), 12);
  ASSERT_EQ(set.pixels.size(), 5u * 3 * 4);
  ASSERT_EQ(set.labels.size(), 5u);
  for (int64_t i = 0; i < 5; ++i) {
    EXPECT_EQ(set.label(i), test_label(i));
    for (int64_t r = 0; r < 3; ++r)
      for (int64_t c = 0; c < 4; ++c) EXPECT_EQ(set.pixel(i, 0, r, c), idx_pixel(i, r, c)) << i << r << c;
  }
}

TEST_P(IdxReader, ReadsImagesAndLabelsSeparately) {
  TempDir dir;
  const bool gz = GetParam();
  const IdxImages images = read_idx_images(write_maybe_gz(dir.file("imgs"), idx_images(2, 28, 28), gz));
  EXPECT_EQ(images.count, 2);
  EXPECT_EQ(images.rows, 28);
  EXPECT_EQ(images.cols, 28);
  const Bytes image_file = idx_images(2, 28, 28);
  EXPECT_EQ(images.pixels, Bytes(image_file.begin() + 16, image_file.end()));
  const Bytes labels = read_idx_labels(write_maybe_gz(dir.file("lbls"), idx_labels(7), gz));
  const Bytes label_file = idx_labels(7);
  EXPECT_EQ(labels, Bytes(label_file.begin() + 8, label_file.end()));
}

INSTANTIATE_TEST_SUITE_P(RawAndGzip, IdxReader, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "gzip" : "raw"; });

TEST(IdxReaderErrors, EmptySetIsValid) {
  TempDir dir;
  write_raw(dir.file("i"), idx_images(0, 28, 28));
  write_raw(dir.file("l"), idx_labels(0));
  const ImageSet set = read_idx(dir.file("i"), dir.file("l"));
  EXPECT_EQ(set.count, 0);
  EXPECT_TRUE(set.empty());
}

TEST(IdxReaderErrors, MissingFile) {
  TempDir dir;
  write_raw(dir.file("l"), idx_labels(1));
  expect_error([&] { read_idx(dir.file("i"), dir.file("l")); }, {"cannot open " + dir.file("i")});
  write_raw(dir.file("i"), idx_images(1, 2, 2));
  expect_error([&] { read_idx(dir.file("i"), dir.file("nol")); }, {"cannot open " + dir.file("nol")});
}

TEST(IdxReaderErrors, LabelsFilePassedAsImages) {
  TempDir dir;
  write_raw(dir.file("labels"), idx_labels(3));
  expect_error([&] { read_idx_images(dir.file("labels")); },
               {dir.file("labels"), "wrong magic number 0x00000801", "expected 0x00000803", "labels file"});
}

TEST(IdxReaderErrors, ImagesFilePassedAsLabels) {
  TempDir dir;
  write_raw(dir.file("images"), idx_images(1, 2, 2));
  expect_error([&] { read_idx_labels(dir.file("images")); },
               {dir.file("images"), "wrong magic number 0x00000803", "expected 0x00000801"});
}

TEST(IdxReaderErrors, GarbageMagic) {
  TempDir dir;
  write_raw(dir.file("png"), {0x89, 'P', 'N', 'G', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  expect_error([&] { read_idx_images(dir.file("png")); },
               {dir.file("png"), "wrong magic number 0x89504e47", "not an IDX file"});
}

TEST(IdxReaderErrors, TooShortForMagic) {
  TempDir dir;
  write_raw(dir.file("s"), {0, 0});
  expect_error([&] { read_idx_images(dir.file("s")); }, {dir.file("s"), "truncated"});
  expect_error([&] { read_idx_labels(dir.file("s")); }, {dir.file("s"), "truncated"});
}

TEST(IdxReaderErrors, TruncatedHeader) {
  TempDir dir;
  Bytes b = idx_images(1, 2, 2);
  b.resize(10);
  write_raw(dir.file("h"), b);
  expect_error([&] { read_idx_images(dir.file("h")); }, {dir.file("h"), "truncated", "header"});
  Bytes l = idx_labels(1);
  l.resize(6);
  write_raw(dir.file("hl"), l);
  expect_error([&] { read_idx_labels(dir.file("hl")); }, {dir.file("hl"), "truncated", "header"});
}

TEST(IdxReaderErrors, TruncatedImages) {
  TempDir dir;
  Bytes b = idx_images(4, 28, 28);
  b.resize(b.size() - 100);
  write_raw(dir.file("i"), b);
  expect_error([&] { read_idx_images(dir.file("i")); },
               {dir.file("i"), "truncated", "4 images of 28x28", std::to_string(4 * 784 - 100)});
}

TEST(IdxReaderErrors, TruncatedGzippedImagesReportsTheIdxProblem) {
  // A complete gzip stream of a short IDX file: the gzip layer is fine, the IDX layer must notice.
  TempDir dir;
  Bytes b = idx_images(4, 28, 28);
  b.resize(b.size() - 1);
  write_gz(dir.file("i.gz"), b);
  expect_error([&] { read_idx_images(dir.file("i.gz")); }, {dir.file("i.gz"), "truncated", "4 images of 28x28"});
}

TEST(IdxReaderErrors, ImagesWithTrailingBytes) {
  TempDir dir;
  Bytes b = idx_images(2, 3, 3);
  b.push_back(0);
  write_raw(dir.file("i"), b);
  expect_error([&] { read_idx_images(dir.file("i")); }, {dir.file("i"), "2 images of 3x3", "more than expected"});
}

TEST(IdxReaderErrors, HugeHeaderDoesNotOverflow) {
  TempDir dir;
  Bytes b;
  put_be32(b, 0x00000803);
  put_be32(b, 0xffffffffu);
  put_be32(b, 0xffffffffu);
  put_be32(b, 0xffffffffu);
  write_raw(dir.file("i"), b);
  expect_error([&] { read_idx_images(dir.file("i")); }, {dir.file("i"), "truncated", "4294967295 images"});
}

TEST(IdxReaderErrors, TruncatedLabels) {
  TempDir dir;
  Bytes l = idx_labels(10);
  l.resize(l.size() - 3);
  write_raw(dir.file("l"), l);
  expect_error([&] { read_idx_labels(dir.file("l")); }, {dir.file("l"), "truncated", "10 labels", "only 7"});
}

TEST(IdxReaderErrors, LabelsWithTrailingBytes) {
  TempDir dir;
  Bytes l = idx_labels(3);
  l.push_back(1);
  write_raw(dir.file("l"), l);
  expect_error([&] { read_idx_labels(dir.file("l")); }, {dir.file("l"), "3 labels", "holds 4"});
}

TEST(IdxReaderErrors, LabelOutOfRange) {
  TempDir dir;
  write_raw(dir.file("i"), idx_images(4, 2, 2));
  Bytes l = idx_labels(4);
  l[8 + 2] = 10;
  write_raw(dir.file("l"), l);
  expect_error([&] { read_idx(dir.file("i"), dir.file("l"), 10); },
               {dir.file("l"), "label 10 at index 2", "expected < 10"});
  // The same labels are fine for a reader told there are more classes.
  EXPECT_NO_THROW(read_idx(dir.file("i"), dir.file("l"), 11));
}

TEST(IdxReaderErrors, CountMismatch) {
  TempDir dir;
  write_raw(dir.file("i"), idx_images(5, 2, 2));
  write_raw(dir.file("l"), idx_labels(4));
  expect_error([&] { read_idx(dir.file("i"), dir.file("l")); },
               {dir.file("l"), dir.file("i"), "4 labels", "5 images"});
}

}  // namespace
}  // namespace xbarcut::data
