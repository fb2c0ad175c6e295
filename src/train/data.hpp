// A dataset ready for training: both splits as normalised tensors, the input transform that made them (stored in
// every checkpoint) and the shape a network must accept. Every command and runner loads data through here.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "nn/net_spec.hpp"
#include "train/tensor_dataset.hpp"

namespace xbarcut::train {

struct Data {
  std::string name;  // mnist, fashion-mnist, cifar10, cifar10-grey
  TensorDataset train;
  TensorDataset test;
  InputTransform input;
  std::vector<int64_t> input_shape;  // C, H, W
  int64_t classes = 10;
};

// Loads both splits and normalises them; `input` given (a checkpoint's) is reused, else the dataset's own
// normalisation is derived from its training split.
Data load_data(const std::string& dataset, const std::string& data_dir, const InputTransform* input = nullptr);

// Throws a one-line Error when a network described by `spec` (read from `origin`, a checkpoint path) cannot take
// `dataset`'s images or classes. Needs only the dataset's name, so it runs before any data is read.
void check_input_shape(const nn::NetSpec& spec, const std::string& dataset, const std::string& origin);

// Keeps the first `count` training images (short runs); 0 or more than there are keeps all.
void keep_first_training_images(Data& data, int64_t count);

// LibTorch defaults to half the hardware threads; training is faster with all of them (0 = all).
void use_threads(int threads);

}  // namespace xbarcut::train
