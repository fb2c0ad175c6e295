// LGD + RPP on the crossbar groups of every pruned layer.
#include "methods/crossbar_aware_pruning/crossbar_pruner.hpp"

#include "common/error.hpp"
#include "methods/crossbar_aware_pruning/rpp_projection.hpp"
#include "nn/batch_norm_fold.hpp"

namespace xbarcut::methods::xbprune {

CrossbarPruner::CrossbarPruner(nn::Net net, hw::HardwareOptions hardware, PruneOptions options)
    : net_(std::move(net)), hardware_(std::move(hardware)), options_(std::move(options)) {
  validate(options_);
  hw::validate(hardware_);
  const auto& wl = net_->weight_layers();
  for (size_t i = 0; i < wl.size(); ++i) {
    const auto& spec = wl[i]->spec();
    if (wl[i]->factorised())
      throw Error("layer " + spec.name + " is factorised (low rank); crossbar-aware pruning needs a dense model");
    if (!options_.prune_classifier && i + 1 == wl.size()) continue;
    if (spec.grouped()) continue;  // a grouped conv's compact matrix is not its crossbar layout: kept dense
    const auto m = wl[i]->matrices()[0];
    auto tiling = hw::tile_matrix(m.size(0), m.size(1), hardware_);
    if (tiling.crossbars() < options_.min_crossbars) continue;
    PrunedLayer p;
    p.weight_index = i;
    p.name = spec.name;
    p.budget = std::max<int64_t>(
        1, static_cast<int64_t>(std::llround(options_.keep_ratio * static_cast<double>(tiling.crossbars()))));
    p.row_block = torch::empty({m.size(0)}, torch::kLong);
    for (size_t rb = 0; rb < tiling.row_blocks.size(); ++rb)
      p.row_block.slice(0, tiling.row_blocks[rb].begin, tiling.row_blocks[rb].end).fill_(static_cast<int64_t>(rb));
    p.tiling = std::move(tiling);
    layers_.push_back(std::move(p));
  }
  if (layers_.empty())
    throw Error("no layer of this model needs " + std::to_string(options_.min_crossbars) +
                " or more crossbars of this size; use a smaller --xbar");
}

torch::Tensor CrossbarPruner::column_norms(const PrunedLayer& layer) const {
  torch::NoGradGuard guard;
  auto w = net_->weight_layers()[layer.weight_index]->matrices()[0];
  if (auto bn = net_->batch_norm_of(layer.weight_index)) w = w * nn::batch_norm_affine(bn).first.unsqueeze(0);
  const int64_t blocks = static_cast<int64_t>(layer.tiling.row_blocks.size());
  return torch::zeros({blocks, w.size(1)}).index_add_(0, layer.row_block, w * w);
}

torch::Tensor CrossbarPruner::project_layer(const PrunedLayer& layer, int64_t keep, double p, uint64_t stream) {
  torch::NoGradGuard guard;
  const auto units = make_units(column_norms(layer), layer.tiling, options_.grain);
  std::mt19937_64 rng(options_.seed * 0x9E3779B97F4A7C15ULL + stream);
  const int64_t blocks = static_cast<int64_t>(layer.tiling.row_blocks.size());
  const auto keep_mask = project_units(units, blocks, layer.tiling.cols, keep, p, rng);
  auto full = keep_mask.index_select(0, layer.row_block);  // N x M
  auto w = net_->weight_layers()[layer.weight_index]->weights()[0];
  w.mul_(full.t().reshape(w.sizes()).to(w.dtype()));
  return full;
}

void CrossbarPruner::project(int64_t k, int64_t total) {
  for (size_t i = 0; i < layers_.size(); ++i) {
    const auto& l = layers_[i];
    const auto step = rpp_step(k, total, l.tiling.crossbars(), l.budget, options_.p_start);
    project_layer(l, step.keep, step.p, static_cast<uint64_t>(k) * 1000 + i);
  }
}

void CrossbarPruner::finalize() {
  for (size_t i = 0; i < layers_.size(); ++i) {
    const auto& l = layers_[i];
    auto full = project_layer(l, l.budget, 1.0, 0xFFFFFFFFULL + i);
    net_->weight_layers()[l.weight_index]->set_matrix_masks({full});
  }
}

}  // namespace xbarcut::methods::xbprune
