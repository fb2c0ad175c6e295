// A labelled set of 8-bit images held in memory exactly as the files store them, before any scaling.
// The readers produce it without LibTorch so they stay testable in seconds; the torch side converts it.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace xbarcut::data {

struct ImageSet {
  int64_t count = 0;
  int64_t channels = 0;
  int64_t height = 0;
  int64_t width = 0;
  // count * channels * height * width bytes; each image is CHW planes (CIFAR's own layout), so a
  // torch::from_blob view of shape {count, channels, height, width} needs no copy or permute.
  std::vector<uint8_t> pixels;
  std::vector<int32_t> labels;  // count entries, each in [0, num_classes)
  int num_classes = 0;
  std::vector<std::string> class_names;  // num_classes entries when the source names them (image folders), else empty
  std::string name;  // the dataset name ("mnist", "fashion-mnist", "cifar10") or the file it came from

  int64_t image_size() const { return channels * height * width; }
  bool empty() const { return count == 0; }
  const uint8_t* image(int64_t i) const { return pixels.data() + i * image_size(); }
  uint8_t* image(int64_t i) { return pixels.data() + i * image_size(); }
  uint8_t pixel(int64_t i, int64_t c, int64_t y, int64_t x) const {
    return pixels[static_cast<size_t>(((i * channels + c) * height + y) * width + x)];
  }
  int label(int64_t i) const { return labels[static_cast<size_t>(i)]; }

  // The first n images (all of them if n exceeds count): quick runs and smoke tests train on a prefix.
  ImageSet first(int64_t n) const {
    ImageSet head = *this;
    head.count = std::max<int64_t>(0, std::min(n, count));
    head.pixels.resize(static_cast<size_t>(head.count * image_size()));
    head.labels.resize(static_cast<size_t>(head.count));
    return head;
  }
};

}  // namespace xbarcut::data
