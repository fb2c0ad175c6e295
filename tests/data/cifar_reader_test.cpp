// Tests for the CIFAR-10 binary reader: plane order and labels of generated batches, raw and gzip'd,
// batch concatenation order, and the malformed cases (missing batch, partial record, label 10).
#include "data/cifar_reader.hpp"

#include "data_test_util.hpp"

namespace xbarcut::data {
namespace {
using namespace testing;

void expect_cifar_images(const ImageSet& set, int64_t first) {
  ASSERT_EQ(set.channels, 3);
  ASSERT_EQ(set.height, 32);
  ASSERT_EQ(set.width, 32);
  ASSERT_EQ(set.num_classes, 10);
  ASSERT_EQ(static_cast<int64_t>(set.pixels.size()), set.count * 3072);
  ASSERT_EQ(static_cast<int64_t>(set.labels.size()), set.count);
  for (int64_t i = 0; i < set.count; ++i) {
    ASSERT_EQ(set.label(i), test_label(first + i)) << i;
    for (int64_t ch = 0; ch < 3; ++ch)
      for (int64_t y = 0; y < 32; ++y)
        for (int64_t x = 0; x < 32; ++x) ASSERT_EQ(set.pixel(i, ch, y, x), cifar_pixel(first + i, ch, y, x));
  }
}

class CifarReader : public ::testing::TestWithParam<bool> {};  // param: gzip'd

TEST_P(CifarReader, ReadsOneBatchPlaneByPlane) {
  TempDir dir;
  const std::string path = write_maybe_gz(dir.file("test_batch.bin"), cifar_batch(6), GetParam());
  const ImageSet set = read_cifar_batch(path);
  EXPECT_EQ(set.count, 6);
  expect_cifar_images(set, 0);
}

TEST_P(CifarReader, ReadsTrainAndTestSplitsInBatchOrder) {
  TempDir dir;
  write_cifar_dataset(dir.str(), 4, GetParam());
  const ImageSet train = read_cifar10_train(dir.str());
  EXPECT_EQ(train.count, 20);
  expect_cifar_images(train, 0);
  const ImageSet test = read_cifar10_test(dir.str());
  EXPECT_EQ(test.count, 4);
  expect_cifar_images(test, 1000);
}

INSTANTIATE_TEST_SUITE_P(RawAndGzip, CifarReader, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "gzip" : "raw"; });

TEST(CifarReaderFiles, OfficialNames) {
  EXPECT_EQ(cifar10_train_files(), (std::vector<std::string>{"data_batch_1.bin", "data_batch_2.bin",
                                                              "data_batch_3.bin", "data_batch_4.bin",
                                                              "data_batch_5.bin"}));
  EXPECT_EQ(cifar10_test_files(), std::vector<std::string>{"test_batch.bin"});
}

TEST(CifarReaderFiles, MixedRawAndGzippedBatches) {
  TempDir dir;
  write_cifar_dataset(dir.str(), 2, true);
  std::filesystem::remove(dir.file("data_batch_3.bin.gz"));
  write_raw(dir.file("data_batch_3.bin"), cifar_batch(2, 4));
  const ImageSet train = read_cifar10_train(dir.str());
  EXPECT_EQ(train.count, 10);
  expect_cifar_images(train, 0);
}

TEST(CifarReaderFiles, ConcatenatedGzipMembersTakeTheSlowPathCorrectly) {
  // The trailer of a two-member file only gives the last member's size, so the size hint is wrong.
  TempDir dir;
  write_cifar_dataset(dir.str(), 3, true);
  write_gz(dir.file("part1.gz"), cifar_batch(2, 6));
  write_gz(dir.file("part2.gz"), cifar_batch(1, 8));
  Bytes joined = read_raw(dir.file("part1.gz"));
  const Bytes part2 = read_raw(dir.file("part2.gz"));
  joined.insert(joined.end(), part2.begin(), part2.end());
  write_raw(dir.file("data_batch_3.bin.gz"), joined);
  const ImageSet train = read_cifar10_train(dir.str());
  EXPECT_EQ(train.count, 15);
  expect_cifar_images(train, 0);
  const ImageSet one = read_cifar_batch(dir.file("data_batch_3.bin.gz"));
  EXPECT_EQ(one.count, 3);
  expect_cifar_images(one, 6);
}

TEST(CifarReaderErrors, MissingBatch) {
  TempDir dir;
  write_cifar_dataset(dir.str(), 1, true);
  std::filesystem::remove(dir.file("data_batch_4.bin.gz"));
  expect_error([&] { read_cifar10_train(dir.str()); }, {dir.file("data_batch_4.bin"), "missing", "--data-dir"});
  std::filesystem::remove(dir.file("test_batch.bin.gz"));
  expect_error([&] { read_cifar10_test(dir.str()); }, {dir.file("test_batch.bin"), "missing"});
}

TEST(CifarReaderErrors, MissingFile) {
  TempDir dir;
  expect_error([&] { read_cifar_batch(dir.file("x.bin")); }, {"cannot open " + dir.file("x.bin")});
}

TEST(CifarReaderErrors, PartialRecord) {
  TempDir dir;
  Bytes b = cifar_batch(3);
  b.resize(b.size() - 1000);
  write_raw(dir.file("b.bin"), b);
  expect_error([&] { read_cifar_batch(dir.file("b.bin")); }, {dir.file("b.bin"), "truncated", "3073"});
  write_gz(dir.file("b.bin.gz"), b);
  expect_error([&] { read_cifar_batch(dir.file("b.bin.gz")); }, {dir.file("b.bin.gz"), "truncated", "3073"});
}

TEST(CifarReaderErrors, LabelTen) {
  TempDir dir;
  Bytes b = cifar_batch(3);
  b[2 * 3073] = 10;
  write_gz(dir.file("b.bin.gz"), b);
  expect_error([&] { read_cifar_batch(dir.file("b.bin.gz")); },
               {dir.file("b.bin.gz"), "label 10 at record 2", "expected < 10"});
}

TEST(CifarReaderErrors, BadBatchInASplitIsNamed) {
  TempDir dir;
  write_cifar_dataset(dir.str(), 2, false);
  Bytes b = cifar_batch(2);
  b.pop_back();
  write_raw(dir.file("data_batch_5.bin"), b);
  expect_error([&] { read_cifar10_train(dir.str()); }, {dir.file("data_batch_5.bin"), "3073"});
}

TEST(CifarGrey, LumaOfEachPixelRounded) {
  ImageSet colour;
  colour.count = 2;
  colour.channels = 3;
  colour.height = 1;
  colour.width = 2;
  colour.num_classes = 10;
  colour.labels = {3, 7};
  // Image 0: pure red, pure green; image 1: pure blue, (10, 20, 30). Planes R, G, B per image.
  colour.pixels = {255, 0, 0, 255, 0, 0,  //
                   0, 10, 0, 20, 255, 30};
  const ImageSet grey = to_grey(colour);
  EXPECT_EQ(grey.channels, 1);
  EXPECT_EQ(grey.count, 2);
  EXPECT_EQ(grey.labels, colour.labels);
  ASSERT_EQ(grey.pixels.size(), 4u);
  EXPECT_EQ(grey.pixel(0, 0, 0, 0), 76);   // 0.299 * 255 = 76.2
  EXPECT_EQ(grey.pixel(0, 0, 0, 1), 150);  // 0.587 * 255 = 149.7
  EXPECT_EQ(grey.pixel(1, 0, 0, 0), 29);   // 0.114 * 255 = 29.07
  EXPECT_EQ(grey.pixel(1, 0, 0, 1), 18);   // 2.99 + 11.74 + 3.42 = 18.15
}

TEST(CifarGrey, WhiteStaysWhiteAndGreyIsRejected) {
  ImageSet white;
  white.count = 1;
  white.channels = 3;
  white.height = 2;
  white.width = 2;
  white.labels = {0};
  white.pixels.assign(12, 255);
  const ImageSet grey = to_grey(white);
  EXPECT_EQ(grey.pixels, std::vector<uint8_t>(4, 255));
  expect_error([&] { to_grey(grey); }, {"grey conversion needs 3-channel images"});
}

}  // namespace
}  // namespace xbarcut::data
