// Conversion of raw image sets to tensors and the deterministic batch order.
#include "train/tensor_dataset.hpp"

#include <fmt/core.h>

#include "common/error.hpp"
#include "data/normalisation.hpp"

namespace xbarcut::train {

namespace {

// A vector's bytes owned by the tensor that views them (no copy of a dataset's pixels).
template <typename T>
torch::Tensor adopt(std::vector<T> values, at::IntArrayRef shape, torch::ScalarType type) {
  auto* owned = new std::vector<T>(std::move(values));
  return torch::from_blob(owned->data(), shape, [owned](void*) { delete owned; }, torch::TensorOptions(type));
}

torch::Tensor read_from_file(const data::DatasetCacheFile& file, const int64_t* index, int64_t n) {
  auto out = torch::empty({n, file.channels(), file.height(), file.width()}, torch::kUInt8);
  file.read_images(index, n, out.data_ptr<uint8_t>());
  return out;
}

torch::Tensor normalised(const torch::Tensor& x, const InputTransform& transform) {
  return x.scalar_type() == torch::kUInt8 ? transform.apply(x) : x;
}

}  // namespace

torch::Tensor InputTransform::apply(const torch::Tensor& pixels_u8) const {
  auto x = pixels_u8.to(torch::kFloat32);
  if (mean.defined()) x = x - mean;
  if (scale != 1.0) x = x * scale;
  if (channel_scale.defined()) x = x * channel_scale;
  return x;
}

InputTransform InputTransform::for_dataset(const data::DataSource& source, const data::SplitSource& train) {
  InputTransform t;
  const data::ImageSet& set = train.images;
  if (source.builtin() && !data::normalisation_for(source.name).per_channel) {
    const auto norm = data::normalisation_for(source.name);
    t.scale = norm.scale;
    if (norm.subtract_mean_image) {
      auto mean = data::mean_image(set);
      t.mean = torch::from_blob(mean.data(), {set.channels, set.height, set.width}, torch::kFloat32).clone();
    }
    return t;
  }
  // Per channel, in pixel units: x = (p - 255 mean) / (255 std).
  std::vector<double> mean = source.mean, std = source.std;
  if (mean.empty() || std.empty()) {
    const auto stats = data::channel_statistics(train);
    if (mean.empty()) {
      for (double m : stats.mean) mean.push_back(m / 255.0);
    }
    if (std.empty()) {
      for (double s : stats.std) std.push_back(std::max(s, 1e-3) / 255.0);  // a constant channel stays finite
    }
  }
  const auto channels = static_cast<size_t>(set.channels);
  if (mean.size() == 1) mean.resize(channels, mean[0]);
  if (std.size() == 1) std.resize(channels, std[0]);
  if (mean.size() != channels || std.size() != channels) {
    throw Error(fmt::format("{}: --mean and --std need 1 or {} values (the images have {} channels)", source.text(),
                            channels, channels));
  }
  t.mean = torch::empty({set.channels, 1, 1}, torch::kFloat32);
  t.channel_scale = torch::empty({set.channels, 1, 1}, torch::kFloat32);
  for (size_t c = 0; c < channels; ++c) {
    t.mean[static_cast<int64_t>(c)] = static_cast<float>(255.0 * mean[c]);
    t.channel_scale[static_cast<int64_t>(c)] = static_cast<float>(1.0 / (255.0 * std[c]));
  }
  return t;
}

torch::Tensor TensorDataset::inputs(int64_t begin, int64_t end) const {
  if (file) {
    auto out = torch::empty({end - begin, file->channels(), file->height(), file->width()}, torch::kUInt8);
    file->read_range(begin, end, out.data_ptr<uint8_t>());
    return transform.apply(out);
  }
  return normalised(images.slice(0, begin, end), transform);
}

torch::Tensor TensorDataset::inputs(const torch::Tensor& index) const {
  if (file) return transform.apply(read_from_file(*file, index.data_ptr<int64_t>(), index.size(0)));
  return normalised(images.index_select(0, index), transform);
}

TensorDataset TensorDataset::first(int64_t n) const {
  if (n <= 0 || n >= size()) return *this;
  TensorDataset head = *this;
  head.labels = labels.slice(0, 0, n);
  if (images.defined()) head.images = images.slice(0, 0, n);
  return head;
}

TensorDataset TensorDataset::from(data::SplitSource split, const InputTransform& transform) {
  data::ImageSet& set = split.images;
  TensorDataset d;
  d.transform = transform;
  d.file = split.file;
  if (!split.file) {
    d.images = adopt(std::move(set.pixels), {set.count, set.channels, set.height, set.width}, torch::kUInt8);
  }
  d.labels = torch::from_blob(const_cast<int32_t*>(set.labels.data()), {set.count}, torch::kInt32).to(torch::kInt64);
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
  auto x = data_.inputs(index);
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
