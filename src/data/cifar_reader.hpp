// Reader for the CIFAR-10 binary version: fixed 3073-byte records (label, then 32x32 R, G, B planes),
// five training batches and one test batch, each raw or gzip'd.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/image_set.hpp"

namespace xbarcut::data {

constexpr int64_t kCifarSide = 32;
constexpr int64_t kCifarChannels = 3;
constexpr int64_t kCifarImageBytes = kCifarChannels * kCifarSide * kCifarSide;  // 3072
constexpr int64_t kCifarRecordBytes = 1 + kCifarImageBytes;                      // 3073
constexpr int kCifarClasses = 10;

// The batch file names, without .gz: data_batch_1.bin .. data_batch_5.bin, and test_batch.bin.
std::vector<std::string> cifar10_train_files();
std::vector<std::string> cifar10_test_files();

// One batch file; throws if its size is not a whole number of records or a label is >= 10.
ImageSet read_cifar_batch(const std::string& path);

// Several batch files concatenated in the given order.
ImageSet read_cifar_batches(const std::vector<std::string>& paths);

// The training (5 batches, 50000 images) or test (10000 images) split from a folder holding the batch
// files, each as name or name.gz. Throws naming the first missing batch.
ImageSet read_cifar10_train(const std::string& dir);
ImageSet read_cifar10_test(const std::string& dir);

// One grey plane per colour image: the luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as MATLAB's rgb2gray,
// which the TraNNsformer authors used for their grey CIFAR-10), rounded to the nearest byte.
ImageSet to_grey(const ImageSet& colour);

}  // namespace xbarcut::data
