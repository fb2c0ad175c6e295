#include "methods/magnitude_pruning/magnitude_pruning.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"
#include "train/trainer.hpp"

namespace xbarcut::methods {

namespace {

torch::Tensor matrix_of(const nn::WeightLayer& layer) {
  if (layer->factorised())
    throw Error("layer " + layer->spec().name + " is factorised; magnitude pruning works on dense layers");
  return layer->matrices().at(0);
}

}  // namespace

void ensure_masks(nn::Net& net) {
  for (auto& layer : net->weight_layers()) {
    if (layer->has_masks()) continue;
    layer->set_matrix_masks({torch::ones_like(matrix_of(layer))});
  }
}

hw::ConnectivityMask connectivity(const nn::WeightLayer& layer) {
  const torch::Tensor m = matrix_of(layer).ne(0).to(torch::kUInt8).contiguous();
  hw::ConnectivityMask c(m.size(0), m.size(1));
  std::copy(m.data_ptr<uint8_t>(), m.data_ptr<uint8_t>() + m.numel(), c.bits.begin());
  return c;
}

torch::Tensor to_tensor(const hw::ConnectivityMask& mask) {
  auto t = torch::empty({mask.rows, mask.cols}, torch::kUInt8);
  std::copy(mask.bits.begin(), mask.bits.end(), t.data_ptr<uint8_t>());
  return t.to(torch::kFloat32);
}

void set_mask(nn::WeightLayer& layer, const hw::ConnectivityMask& mask) {
  const auto m = matrix_of(layer);
  if (m.size(0) != mask.rows || m.size(1) != mask.cols)
    throw Error("mask shape does not match layer " + layer->spec().name);
  layer->set_matrix_masks({to_tensor(mask)});
}

hw::ConnectivityMask magnitude_mask(const nn::WeightLayer& layer, double threshold) {
  const torch::Tensor m = matrix_of(layer);
  const torch::Tensor keep = m.abs().ge(threshold).logical_and(m.ne(0)).to(torch::kUInt8).contiguous();
  hw::ConnectivityMask c(m.size(0), m.size(1));
  std::copy(keep.data_ptr<uint8_t>(), keep.data_ptr<uint8_t>() + keep.numel(), c.bits.begin());
  return c;
}

double sparsity_threshold(const nn::WeightLayer& layer, double s) {
  if (!(s >= 0 && s < 1)) throw Error("sparsity " + std::to_string(s) + " is outside [0, 1); use e.g. 0.9");
  const torch::Tensor a = matrix_of(layer).abs().flatten();
  const int64_t n = a.numel();
  const int64_t k = static_cast<int64_t>(std::floor(s * static_cast<double>(n)));
  if (k == 0) return 0.0;
  // The k-th smallest magnitude is the last one pruned; keep anything strictly above it.
  const double kth = std::get<0>(a.kthvalue(k)).item<double>();
  return std::nextafter(kth, std::numeric_limits<double>::infinity());
}

double weight_std(const nn::WeightLayer& layer) { return matrix_of(layer).std().item<double>(); }

double sparsity(const nn::Net& net, const std::vector<std::string>& names) {
  int64_t zeros = 0, total = 0;
  for (const auto& layer : net->weight_layers()) {
    if (!names.empty() && std::find(names.begin(), names.end(), layer->spec().name) == names.end()) continue;
    for (const auto& m : layer->matrices()) {
      zeros += m.eq(0).sum().item<int64_t>();
      total += m.numel();
    }
  }
  return total ? static_cast<double>(zeros) / static_cast<double>(total) : 0.0;
}

double training_error(nn::Net& net, const train::TensorDataset& train, int64_t samples) {
  return 1.0 - train::evaluate(net, train.first(std::min(samples, train.size())));
}

}  // namespace xbarcut::methods
