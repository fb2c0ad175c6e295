// Conversion of raw image sets to tensors and the deterministic batch order.
#include "train/tensor_dataset.hpp"

#include "common/error.hpp"
#include "data/normalisation.hpp"

namespace xbarcut::train {

namespace {
torch::Tensor pixels_tensor(const data::ImageSet& set) {
  return torch::from_blob(const_cast<uint8_t*>(set.pixels.data()),
                          {set.count, set.channels, set.height, set.width}, torch::kUInt8);
}
}  // namespace

torch::Tensor InputTransform::apply(const torch::Tensor& pixels_u8) const {
  auto x = pixels_u8.to(torch::kFloat32);
  if (mean.defined()) x = x - mean;
  if (scale != 1.0) x = x * scale;
  return x;
}

InputTransform InputTransform::for_dataset(const std::string& dataset, const data::ImageSet& train) {
  const auto norm = data::normalisation_for(dataset);
  InputTransform t;
  t.scale = norm.scale;
  if (norm.subtract_mean_image) {
    auto mean = data::mean_image(train);
    t.mean = torch::from_blob(mean.data(), {train.channels, train.height, train.width}, torch::kFloat32).clone();
  }
  return t;
}

TensorDataset TensorDataset::from(const data::ImageSet& set, const InputTransform& transform) {
  TensorDataset d;
  d.images = transform.apply(pixels_tensor(set)).contiguous();
  d.labels = torch::from_blob(const_cast<int32_t*>(set.labels.data()), {set.count}, torch::kInt32)
                 .to(torch::kInt64);
  return d;
}

BatchStream::BatchStream(const TensorDataset& data, int64_t batch, uint64_t seed, int64_t crop_pad, bool flip)
    : data_(data), batch_(batch), seed_(seed), crop_pad_(crop_pad), flip_(flip) {
  if (data.size() == 0) throw Error("the training set is empty");
}

const std::vector<int64_t>& BatchStream::permutation(int64_t epoch) {
  if (epoch != cached_epoch_) {
    const int64_t n = data_.size();
    perm_.resize(n);
    for (int64_t i = 0; i < n; ++i) perm_[i] = i;
    std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(epoch) + 1);
    for (int64_t i = n - 1; i > 0; --i) {
      const int64_t j = static_cast<int64_t>(rng() % static_cast<uint64_t>(i + 1));
      std::swap(perm_[i], perm_[j]);
    }
    cached_epoch_ = epoch;
  }
  return perm_;
}

std::pair<torch::Tensor, torch::Tensor> BatchStream::batch(int64_t iter) {
  const int64_t n = data_.size();
  std::vector<int64_t> idx(batch_);
  for (int64_t j = 0; j < batch_; ++j) {
    const int64_t pos = iter * batch_ + j;
    idx[j] = permutation(pos / n)[pos % n];
  }
  auto index = torch::from_blob(idx.data(), {batch_}, torch::kInt64).clone();
  auto x = data_.images.index_select(0, index);
  auto y = data_.labels.index_select(0, index);
  if (crop_pad_ > 0 || flip_) x = augment(x, iter);
  return {x, y};
}

torch::Tensor BatchStream::augment(torch::Tensor x, int64_t iter) const {
  std::mt19937_64 rng(seed_ * 0xBF58476D1CE4E5B9ULL + static_cast<uint64_t>(iter) * 0x94D049BB133111EBULL + 7);
  const int64_t h = x.size(2), w = x.size(3);
  torch::Tensor padded = crop_pad_ > 0
                             ? torch::constant_pad_nd(x, {crop_pad_, crop_pad_, crop_pad_, crop_pad_}, 0.0)
                             : x;
  auto out = torch::empty_like(x);
  for (int64_t i = 0; i < x.size(0); ++i) {
    const int64_t dy = crop_pad_ > 0 ? static_cast<int64_t>(rng() % (2 * crop_pad_ + 1)) : 0;
    const int64_t dx = crop_pad_ > 0 ? static_cast<int64_t>(rng() % (2 * crop_pad_ + 1)) : 0;
    auto img = padded[i].slice(1, dy, dy + h).slice(2, dx, dx + w);
    if (flip_ && (rng() & 1)) img = img.flip({2});
    out[i].copy_(img);
  }
  return out;
}

}  // namespace xbarcut::train
