// A dataset split as float tensors, normalised as Caffe does (scale 1/256 for the digit sets, per-pixel
// training-mean subtraction for CIFAR), and the deterministic batch stream the trainer draws from.
#pragma once
#include <torch/torch.h>

#include <random>

#include "data/image_set.hpp"

namespace xbarcut::train {

// How raw 0..255 pixels become network inputs; stored in every checkpoint so eval needs no training set.
struct InputTransform {
  double scale = 1.0;
  torch::Tensor mean;  // C x H x W, or undefined

  torch::Tensor apply(const torch::Tensor& pixels_u8) const;
  // The Caffe normalisation for a dataset: mean image for cifar10, 1/256 otherwise.
  static InputTransform for_dataset(const std::string& dataset, const data::ImageSet& train);
};

struct TensorDataset {
  torch::Tensor images;  // N x C x H x W float
  torch::Tensor labels;  // N int64
  int64_t size() const { return labels.size(0); }

  static TensorDataset from(const data::ImageSet& set, const InputTransform& transform);
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
