// A dataset ready for training: both splits as tensors, the input transform that normalises them (stored in every
// checkpoint) and the shape a network must accept. Every command and runner loads data through here.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "data/dataset_info.hpp"
#include "nn/net_spec.hpp"
#include "train/tensor_dataset.hpp"

namespace xbarcut::train {

struct Data {
  std::string name;  // the source's canonical text: mnist, cifar10, images:/abs/dir?resize=32x32, npz:/abs/f.npz ...
  TensorDataset train;
  TensorDataset test;
  InputTransform input;
  std::vector<int64_t> input_shape;  // C, H, W
  int64_t classes = 10;
  std::vector<std::string> class_names;
};

// Loads both splits of `dataset` (a built-in name or images:/npz:/npy:, see data::parse_data_source); `input` given
// (a checkpoint's) is reused, else the dataset's own normalisation is derived from its training split. `fit` (a
// network's input C, H, W) sets the channels and size an image folder is converted to unless the source says.
Data load_data(const std::string& dataset, const std::string& data_dir, const InputTransform* input = nullptr,
               const std::vector<int64_t>* fit = nullptr);

// Throws a one-line Error when a network described by `spec` (read from `origin`, a checkpoint path) cannot take
// `dataset`'s images or classes. For a built-in dataset it needs only the name, so it runs before any data is read;
// the user's data is checked by check_loaded_shape once read.
void check_input_shape(const nn::NetSpec& spec, const std::string& dataset, const std::string& origin);
void check_loaded_shape(const nn::NetSpec& spec, const Data& data, const std::string& origin);

// The canonical text of a --dataset value (relative paths made absolute); throws for an unknown name.
std::string canonical_dataset(const std::string& dataset);

// Keeps the first `count` training images (short runs); 0 or more than there are keeps all.
void keep_first_training_images(Data& data, int64_t count);

// LibTorch defaults to half the hardware threads; training is faster with all of them (0 = all).
void use_threads(int threads);

}  // namespace xbarcut::train
