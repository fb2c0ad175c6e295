// Reader for the IDX format of MNIST and Fashion-MNIST: a big-endian magic number and dimensions, then
// raw unsigned bytes. Files may be gzip'd; every malformed file gives a one-line error naming it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/image_set.hpp"

namespace xbarcut::data {

constexpr uint32_t kIdxImagesMagic = 0x00000803;  // unsigned bytes, 3 dimensions: count, rows, cols
constexpr uint32_t kIdxLabelsMagic = 0x00000801;  // unsigned bytes, 1 dimension: count

struct IdxImages {
  int64_t count = 0;
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols, row-major
};

IdxImages read_idx_images(const std::string& path);
std::vector<uint8_t> read_idx_labels(const std::string& path);

// Images and labels as one single-channel ImageSet, checking counts agree and labels < num_classes.
// The set's name is the images file; the dataset loader renames it.
ImageSet read_idx(const std::string& images_path, const std::string& labels_path, int num_classes = 10);

}  // namespace xbarcut::data
