// Caffe-compatible normalisation constants and the mean image. Sums are exact integers, so the mean
// does not depend on summation order (it matches compute_image_mean up to float rounding).
#include "data/normalisation.hpp"

#include <cstdint>

#include "data/dataset_info.hpp"

namespace xbarcut::data {

Normalisation normalisation_for(const std::string& dataset_name) {
  const DatasetInfo& info = dataset_info(dataset_name);
  Normalisation n;
  if (info.format == DatasetFormat::CifarBinary) {
    n.subtract_mean_image = true;
  } else if (info.format == DatasetFormat::Cifar100Binary) {
    n.per_channel = true;
  } else {
    n.scale = 1.0f / 256.0f;
  }
  return n;
}

std::vector<float> mean_image(const ImageSet& set) {
  const int64_t size = set.image_size();
  std::vector<uint64_t> sums(static_cast<size_t>(size), 0);
  for (int64_t i = 0; i < set.count; ++i) {
    const uint8_t* img = set.image(i);
    for (int64_t p = 0; p < size; ++p) sums[static_cast<size_t>(p)] += img[p];
  }
  std::vector<float> mean(static_cast<size_t>(size), 0.0f);
  if (set.count == 0) return mean;
  for (int64_t p = 0; p < size; ++p) {
    mean[static_cast<size_t>(p)] =
        static_cast<float>(static_cast<double>(sums[static_cast<size_t>(p)]) / static_cast<double>(set.count));
  }
  return mean;
}

}  // namespace xbarcut::data
