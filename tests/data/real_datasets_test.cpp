// Loads the real datasets when this machine has them (the Debian Fashion-MNIST package, the shared
// development copies next to the project) and skips otherwise, so CI without data still passes.
#include <filesystem>

#include "data/dataset_locator.hpp"
#include "data_test_util.hpp"

namespace xbarcut::data {
namespace {
namespace fs = std::filesystem;
using testing::ScopedEnv;

const std::string kShared = (fs::path(XBARCUT_SOURCE_DIR) / ".." / "shared" / "datasets").lexically_normal().string();

void expect_split(const ImageSet& set, int64_t count, int64_t channels, int64_t side) {
  EXPECT_EQ(set.count, count);
  EXPECT_EQ(set.channels, channels);
  EXPECT_EQ(set.height, side);
  EXPECT_EQ(set.width, side);
  EXPECT_EQ(static_cast<int64_t>(set.pixels.size()), count * channels * side * side);
  ASSERT_EQ(static_cast<int64_t>(set.labels.size()), count);
  std::vector<int64_t> per_class(10, 0);
  for (int32_t l : set.labels) {
    ASSERT_LT(l, 10);
    ++per_class[l];
  }
  // The real sets are roughly balanced; a reader that mangled labels would not be.
  for (int64_t n : per_class) EXPECT_GT(n, count / 20);
}

TEST(RealDatasets, DebianFashionMnist) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " absent (apt install dataset-fashion-mnist)";
  ScopedEnv env(kDataDirEnv, std::nullopt);
  EXPECT_EQ(locate_dataset("fashion-mnist", ""), dir);
  const DatasetSplit split = load_dataset("fashion-mnist", "");
  expect_split(split.train, 60000, 1, 28);
  expect_split(split.test, 10000, 1, 28);
  EXPECT_EQ(split.train.label(0), 9);  // the first training image is an ankle boot
}

TEST(RealDatasets, DebianFashionMnistIsTheFallbackAfterXbarcutData) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " absent (apt install dataset-fashion-mnist)";
  testing::TempDir empty;
  ScopedEnv env(kDataDirEnv, empty.str());
  EXPECT_EQ(locate_dataset("fashion-mnist", ""), dir);
  // An explicit folder is never bypassed, even when the system copy exists.
  testing::expect_error([&] { locate_dataset("fashion-mnist", empty.str()); }, {"fashion-mnist not found in"});
}

TEST(RealDatasets, SharedMnist) {
  if (!fs::exists(kShared + "/mnist")) GTEST_SKIP() << kShared << "/mnist absent";
  const DatasetSplit split = load_dataset("mnist", kShared);
  expect_split(split.train, 60000, 1, 28);
  expect_split(split.test, 10000, 1, 28);
  // Canonical order: the first training digit is a 5, the first test digit a 7.
  EXPECT_EQ(split.train.label(0), 5);
  EXPECT_EQ(split.test.label(0), 7);
}

TEST(RealDatasets, SharedCifar10) {
  if (!fs::exists(kShared + "/cifar10")) GTEST_SKIP() << kShared << "/cifar10 absent";
  const DatasetSplit split = load_dataset("cifar10", kShared);
  expect_split(split.train, 50000, 3, 32);
  expect_split(split.test, 10000, 3, 32);
  const DatasetSplit grey = load_dataset("cifar10-grey", kShared);
  expect_split(grey.train, 50000, 1, 32);
  expect_split(grey.test, 10000, 1, 32);
  EXPECT_EQ(grey.test.labels, split.test.labels);
}

}  // namespace
}  // namespace xbarcut::data
