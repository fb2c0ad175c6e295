// Tests for the CIFAR binary readers: plane order and labels of generated batches, raw and gzip'd,
// batch concatenation order, and the malformed cases (missing batch, partial record, label 10). For CIFAR-100,
// train.bin / test.bin records (coarse label, fine label, planes), fine against coarse labels, its malformed
// cases, and finding the files under each folder name of the dataset table, for cifar100 and cifar100-coarse.
#include "data/cifar_reader.hpp"

#include "data/dataset_info.hpp"
#include "data/dataset_locator.hpp"
#include "data_test_util.hpp"

namespace xbarcut::data {
namespace {
using namespace testing;

// label_of(i) is image i's label (counted across files from `first`), classes the set's num_classes.
void expect_cifar_images(const ImageSet& set, int64_t first, int classes = 10,
                         const std::function<int(int64_t)>& label_of = [](int64_t i) { return test_label(i); }) {
  ASSERT_EQ(set.channels, 3);
  ASSERT_EQ(set.height, 32);
  ASSERT_EQ(set.width, 32);
  ASSERT_EQ(set.num_classes, classes);
  ASSERT_EQ(static_cast<int64_t>(set.pixels.size()), set.count * 3072);
  ASSERT_EQ(static_cast<int64_t>(set.labels.size()), set.count);
  for (int64_t i = 0; i < set.count; ++i) {
    ASSERT_EQ(set.label(i), label_of(first + i)) << i;
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
               {dir.file("b.bin.gz"), "label 10 at record 2", "expected < 10", "use --dataset cifar100"});
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

// CIFAR-100.

constexpr int64_t kRecordBytes = 2 + 3072;

int fine_label(int64_t i) { return static_cast<int>((i * 7 + 3) % 100); }
int coarse_label(int64_t i) { return static_cast<int>((i * 3 + 1) % 20); }

// `count` CIFAR-100 records numbered from `first`; pixels as the CIFAR-10 batches'.
Bytes cifar100_file(int64_t count, int64_t first = 0) {
  Bytes b;
  for (int64_t i = first; i < first + count; ++i) {
    b.push_back(static_cast<uint8_t>(coarse_label(i)));
    b.push_back(static_cast<uint8_t>(fine_label(i)));
    for (int64_t ch = 0; ch < 3; ++ch)
      for (int64_t y = 0; y < 32; ++y)
        for (int64_t x = 0; x < 32; ++x) b.push_back(cifar_pixel(i, ch, y, x));
  }
  return b;
}

void write_cifar100(const std::string& dir, int64_t n_train, int64_t n_test, bool gz) {
  fs::create_directories(dir);
  write_maybe_gz(dir + "/train.bin", cifar100_file(n_train), gz);
  write_maybe_gz(dir + "/test.bin", cifar100_file(n_test, 500), gz);
}

void expect_cifar100(const ImageSet& set, int64_t count, int64_t first, Cifar100Labels labels) {
  ASSERT_EQ(set.count, count);
  if (labels == Cifar100Labels::Fine) {
    expect_cifar_images(set, first, 100, fine_label);
  } else {
    expect_cifar_images(set, first, 20, coarse_label);
  }
}

class Cifar100Reader : public ::testing::TestWithParam<bool> {};  // param: gzip'd

TEST_P(Cifar100Reader, FineAndCoarseLabelsOfBothSplits) {
  TempDir dir;
  write_cifar100(dir.str(), 7, 3, GetParam());
  for (const Cifar100Labels labels : {Cifar100Labels::Fine, Cifar100Labels::Coarse}) {
    const ImageSet train = read_cifar100_train(dir.str(), labels);
    EXPECT_EQ(train.name, dir.str());
    expect_cifar100(train, 7, 0, labels);
    expect_cifar100(read_cifar100_test(dir.str(), labels), 3, 500, labels);
  }
}

TEST_P(Cifar100Reader, TruncatedRecord) {
  TempDir dir;
  Bytes b = cifar100_file(3);
  b.resize(b.size() - 100);
  const std::string path = write_maybe_gz(dir.file("train.bin"), b, GetParam());
  expect_error([&] { read_cifar_records({path}, cifar100_layout(Cifar100Labels::Fine)); },
               {path, "truncated or not a CIFAR-100 binary file", std::to_string(3 * kRecordBytes - 100) + " bytes",
                "3074-byte record (2 labels + 3072 pixels)"});
}

INSTANTIATE_TEST_SUITE_P(RawAndGzip, Cifar100Reader, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "gzip" : "raw"; });

TEST(Cifar100Reader, Layouts) {
  EXPECT_EQ(cifar100_train_files(), std::vector<std::string>{"train.bin"});
  EXPECT_EQ(cifar100_test_files(), std::vector<std::string>{"test.bin"});
  EXPECT_EQ(cifar100_layout(Cifar100Labels::Fine).record_bytes(), 3074);
  EXPECT_EQ(cifar100_layout(Cifar100Labels::Coarse).num_classes(), 20);
  EXPECT_EQ(cifar10_layout().record_bytes(), kCifarRecordBytes);
}

TEST(Cifar100Errors, LabelsOutOfRangeNameTheRecord) {
  TempDir dir;
  Bytes b = cifar100_file(4);
  b[2 * kRecordBytes + 1] = 100;  // fine label of record 2
  write_gz(dir.file("train.bin.gz"), b);
  expect_error([&] { read_cifar100_train(dir.str(), Cifar100Labels::Fine); },
               {dir.file("train.bin.gz"), "fine label 100 at record 2", "expected < 100", "CIFAR-100 binary"});
  // Both labels are checked whichever is kept: a bad one means a bad file.
  expect_error([&] { read_cifar100_train(dir.str(), Cifar100Labels::Coarse); }, {"fine label 100 at record 2"});
  b = cifar100_file(4);
  b[1 * kRecordBytes] = 20;  // coarse label of record 1
  write_gz(dir.file("train.bin.gz"), b);
  expect_error([&] { read_cifar100_train(dir.str(), Cifar100Labels::Fine); },
               {dir.file("train.bin.gz"), "coarse label 20 at record 1", "expected < 20"});
}

TEST(Cifar100Errors, MissingFile) {
  TempDir dir;
  write_cifar100(dir.str(), 2, 2, false);
  std::filesystem::remove(dir.file("test.bin"));
  expect_error([&] { read_cifar100_test(dir.str(), Cifar100Labels::Fine); },
               {"cifar100: missing file " + dir.file("test.bin"), "test.bin.gz", "--data-dir"});
}

TEST(Cifar100Errors, Cifar10ReaderPointsAtCifar100) {
  TempDir dir;
  write_raw(dir.file("data_batch.bin"), cifar100_file(8, 3));  // record 0's coarse label, 10, is read as a label
  expect_error([&] { read_cifar_batch(dir.file("data_batch.bin")); },
               {dir.file("data_batch.bin"), "label 10 at record 0", "--dataset cifar100"});
}

TEST(Cifar100Dataset, TableEntries) {
  const DatasetInfo& fine = dataset_info("cifar100");
  const DatasetInfo& coarse = dataset_info("cifar100-coarse");
  EXPECT_EQ(fine.format, DatasetFormat::Cifar100Binary);
  EXPECT_EQ(coarse.format, DatasetFormat::Cifar100Binary);
  EXPECT_EQ(fine.num_classes, 100);
  EXPECT_EQ(coarse.num_classes, 20);
  EXPECT_EQ(fine.class_names.front(), "apple");
  EXPECT_EQ(fine.class_names.at(58), "pickup_truck");
  EXPECT_EQ(fine.class_names.back(), "worm");
  EXPECT_EQ(coarse.class_names.front(), "aquatic_mammals");
  EXPECT_EQ(coarse.class_names.at(9), "large_man-made_outdoor_things");
  EXPECT_EQ(coarse.class_names.back(), "vehicles_2");
  EXPECT_EQ(fine.train_count, 50000);
  EXPECT_EQ(fine.test_count, 10000);
  EXPECT_EQ(input_shape("cifar100-coarse").channels, 3);
}

class Cifar100Locator : public ::testing::TestWithParam<std::string> {};  // param: the subfolder

TEST_P(Cifar100Locator, FindsAndLoadsBothLabelSets) {
  TempDir root;
  write_cifar100(root.file(GetParam()), 5, 2, true);
  EXPECT_EQ(locate_dataset("cifar100", root.str()), root.file(GetParam()));
  EXPECT_EQ(locate_dataset("cifar100-coarse", root.str()), root.file(GetParam()));
  const DatasetSplit fine = load_dataset("cifar100", root.str());
  EXPECT_EQ(fine.train.name, "cifar100");
  expect_cifar100(fine.train, 5, 0, Cifar100Labels::Fine);
  expect_cifar100(fine.test, 2, 500, Cifar100Labels::Fine);
  const DatasetSplit coarse = load_dataset("cifar100-coarse", root.str());
  EXPECT_EQ(coarse.test.name, "cifar100-coarse");
  expect_cifar100(coarse.train, 5, 0, Cifar100Labels::Coarse);
  expect_cifar100(coarse.test, 2, 500, Cifar100Labels::Coarse);
}

INSTANTIATE_TEST_SUITE_P(EveryFolderName, Cifar100Locator,
                         ::testing::Values("cifar100", "cifar-100", "cifar-100-binary", "CIFAR-100"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(Cifar100Locator, NotFoundNamesTheArchive) {
  TempDir root;
  ScopedEnv env(kDataDirEnv, std::nullopt);
  expect_error([&] { locate_dataset("cifar100", root.str()); },
               {"cifar100 not found in", "cifar-100-binary", "train.bin", "cifar-100-binary.tar.gz", "--data-dir"});
  write_cifar100(root.file("cifar-100-binary"), 2, 1, false);
  std::filesystem::remove(root.file("cifar-100-binary/test.bin"));
  expect_error([&] { locate_dataset("cifar100-coarse", root.str()); },
               {"cifar100-coarse incomplete in " + root.file("cifar-100-binary"), "test.bin[.gz]"});
}

}  // namespace
}  // namespace xbarcut::data
