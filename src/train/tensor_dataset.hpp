// A dataset split as tensors: 8-bit pixels kept as they are (in memory, or in a cache file read per batch) and
// normalised per batch as Caffe does (scale 1/256 for the digit sets, per-pixel training-mean subtraction for
// CIFAR-10) or per channel (the user's data); and the deterministic batch stream the trainer draws from.
#pragma once
#include <torch/torch.h>

#include <memory>
#include <random>

#include "data/image_set.hpp"
#include "data/open_dataset.hpp"

namespace xbarcut::train {

// How raw 0..255 pixels become network inputs; stored in every checkpoint so eval needs no training set.
// x = (pixels - mean) * scale * channel_scale, each tensor only when defined.
struct InputTransform {
  double scale = 1.0;
  torch::Tensor mean;           // C x H x W (a mean image) or C x 1 x 1 (per channel), or undefined
  torch::Tensor channel_scale;  // C x 1 x 1 (1 / std per channel), or undefined

  torch::Tensor apply(const torch::Tensor& pixels_u8) const;
  // The Caffe normalisation of a built-in dataset (mean image for cifar10, 1/256 for the digit sets); for the
  // user's data and CIFAR-100, per channel: the given mean and std (0..1 units) or the training split's.
  static InputTransform for_dataset(const data::DataSource& source, const data::SplitSource& train);
};

struct TensorDataset {
  // N x C x H x W: uint8 pixels, normalised per batch by `transform`, or float inputs used as they are;
  // undefined when `file` holds the pixels.
  torch::Tensor images;
  torch::Tensor labels;  // N int64
  InputTransform transform;
  std::shared_ptr<const data::DatasetCacheFile> file;  // pixels read per batch (a dataset larger than memory)

  int64_t size() const { return labels.size(0); }
  // Network inputs (float, normalised) of images [begin, end), or of the images at `index` (int64).
  torch::Tensor inputs(int64_t begin, int64_t end) const;
  torch::Tensor inputs(const torch::Tensor& index) const;
  // The first n images (all when n <= 0 or n >= size).
  TensorDataset first(int64_t n) const;

  static TensorDataset from(data::SplitSource split, const InputTransform& transform);  // takes the pixels over
};

// Batch b of a run is a pure function of (seed, b): an epoch-wise Fisher-Yates permutation from the seed,
// and augmentation drawn from (seed, b). That is what makes --resume bit-identical to an unbroken run.
class BatchStream {
 public:
  BatchStream(const TensorDataset& data, int64_t batch, uint64_t seed, int64_t crop_pad = 0, bool flip = false);
  std::pair<torch::Tensor, torch::Tensor> batch(int64_t iter);

 private:
  const std::vector<int64_t>& permutation(int64_t epoch);
  torch::Tensor augment(torch::Tensor x, int64_t iter) const;

  const TensorDataset& data_;
  int64_t batch_;
  uint64_t seed_;
  int64_t crop_pad_;
  bool flip_;
  int64_t cached_epoch_ = -1;
  std::vector<int64_t> perm_;
};

}  // namespace xbarcut::train
