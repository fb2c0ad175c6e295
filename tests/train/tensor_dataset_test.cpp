// Tests for datasets as tensors: per-batch normalisation gives the inputs a whole-set conversion would, a split read
// per batch from a cache file gives the same batches as the same split in memory, and per-channel normalisation
// uses the training split's statistics or the given ones.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "data/dataset_cache.hpp"
#include "data/open_dataset.hpp"
#include "train/tensor_dataset.hpp"

namespace xbarcut::train {
namespace {

data::ImageSet pattern_set(int64_t count, int64_t channels) {
  data::ImageSet set;
  set.count = count;
  set.channels = channels;
  set.height = 5;
  set.width = 4;
  set.num_classes = 3;
  for (int64_t i = 0; i < count * set.image_size(); ++i) set.pixels.push_back(static_cast<uint8_t>((i * 37 + 11) % 256));
  for (int64_t i = 0; i < count; ++i) set.labels.push_back(static_cast<int32_t>(i % 3));
  set.name = "pattern";
  return set;
}

data::SplitSource in_memory(const data::ImageSet& set) {
  data::SplitSource s;
  s.images = set;
  return s;
}

TEST(TensorDataset, PerBatchNormalisationEqualsWholeSetConversion) {
  const auto set = pattern_set(12, 3);
  InputTransform t = InputTransform::for_dataset(data::parse_data_source("cifar10"), in_memory(set));
  ASSERT_TRUE(t.mean.defined());  // the mean image, Caffe's CIFAR-10 normalisation
  const TensorDataset d = TensorDataset::from(in_memory(set), t);
  auto whole = torch::from_blob(const_cast<uint8_t*>(set.pixels.data()), {12, 3, 5, 4}, torch::kUInt8)
                   .to(torch::kFloat32) - t.mean;
  EXPECT_TRUE(torch::equal(d.inputs(0, 12), whole));
  const auto index = torch::tensor({7, 2, 2, 11}, torch::kInt64);
  EXPECT_TRUE(torch::equal(d.inputs(index), whole.index_select(0, index)));
  EXPECT_EQ(d.labels[7].item<int64_t>(), 1);
  EXPECT_EQ(d.first(5).size(), 5);
}

TEST(TensorDataset, CacheFileGivesTheBatchesOfMemory) {
  const auto set = pattern_set(9, 1);
  const auto path = (std::filesystem::temp_directory_path() / ("xbarcut_td_" + std::to_string(::getpid()) + ".xbds"))
                        .string();
  data::write_dataset_cache(path, set);
  data::SplitSource file;
  file.file = std::make_shared<const data::DatasetCacheFile>(path);
  file.images.count = 9;
  file.images.channels = 1;
  file.images.height = 5;
  file.images.width = 4;
  file.images.labels = file.file->labels();
  const auto source = data::parse_data_source("images:/unused");
  const InputTransform t = InputTransform::for_dataset(source, file);
  const TensorDataset from_file = TensorDataset::from(file, t);
  const TensorDataset from_memory = TensorDataset::from(in_memory(set), t);
  EXPECT_FALSE(from_file.images.defined());
  EXPECT_TRUE(torch::equal(from_file.inputs(2, 8), from_memory.inputs(2, 8)));
  BatchStream a(from_file, 4, 3, 1, true), b(from_memory, 4, 3, 1, true);
  for (int64_t iter = 0; iter < 5; ++iter) {
    const auto [xa, ya] = a.batch(iter);
    const auto [xb, yb] = b.batch(iter);
    EXPECT_TRUE(torch::equal(xa, xb)) << iter;
    EXPECT_TRUE(torch::equal(ya, yb)) << iter;
  }
  // Per channel from the training split: the inputs have mean 0 and standard deviation 1.
  const auto x = from_file.inputs(0, 9);
  EXPECT_NEAR(x.mean().item<double>(), 0.0, 1e-5);
  EXPECT_NEAR(x.std(/*unbiased=*/false).item<double>(), 1.0, 1e-4);
  std::filesystem::remove(path);
}

TEST(TensorDataset, GivenMeanAndStdAreUsed) {
  const auto set = pattern_set(4, 3);
  const InputTransform t =
      InputTransform::for_dataset(data::parse_data_source("npz:/x.npz?mean=0.5,0,0.25&std=0.5,1,0.25"), in_memory(set));
  const auto x = TensorDataset::from(in_memory(set), t).inputs(0, 1);
  const auto p = torch::from_blob(const_cast<uint8_t*>(set.pixels.data()), {1, 3, 5, 4}, torch::kUInt8).to(torch::kFloat32);
  EXPECT_TRUE(torch::allclose(x[0][0], (p[0][0] / 255 - 0.5) / 0.5, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(x[0][1], p[0][1] / 255, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(x[0][2], (p[0][2] / 255 - 0.25) / 0.25, 1e-5, 1e-5));
}

}  // namespace
}  // namespace xbarcut::train
