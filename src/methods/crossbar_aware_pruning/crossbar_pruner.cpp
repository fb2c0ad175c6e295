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
  int64_t crossbars = 0;
  for (const auto& l : layers_) crossbars += l.tiling.crossbars();
  // Every layer's best unit scores 1, so a budget of one unit per layer keeps each layer alive.
  global_budget_ = std::max<int64_t>(static_cast<int64_t>(layers_.size()),
                                     std::llround(options_.keep_ratio * static_cast<double>(crossbars)));
}

int64_t CrossbarPruner::budget_crossbars() const {
  if (options_.budget == Budget::Global) return global_budget_;
  int64_t sum = 0;
  for (const auto& l : layers_) sum += l.budget;
  return sum;
}

torch::Tensor CrossbarPruner::column_norms(const PrunedLayer& layer) const {
  torch::NoGradGuard guard;
  auto w = net_->weight_layers()[layer.weight_index]->matrices()[0];
  if (auto bn = net_->batch_norm_of(layer.weight_index)) w = w * nn::batch_norm_affine(bn).first.unsqueeze(0);
  const int64_t blocks = static_cast<int64_t>(layer.tiling.row_blocks.size());
  return torch::zeros({blocks, w.size(1)}).index_add_(0, layer.row_block, w * w);
}

torch::Tensor CrossbarPruner::apply_mask(const PrunedLayer& layer, const torch::Tensor& keep) {
  torch::NoGradGuard guard;
  auto full = keep.index_select(0, layer.row_block);  // N x M
  auto w = net_->weight_layers()[layer.weight_index]->weights()[0];
  w.mul_(full.t().reshape(w.sizes()).to(w.dtype()));
  return full;
}

std::vector<torch::Tensor> CrossbarPruner::project_all(int64_t k, int64_t total, bool hard, uint64_t stream) {
  std::vector<std::vector<Unit>> units;
  for (const auto& l : layers_) units.push_back(make_units(column_norms(l), l.tiling, options_.grain));
  std::vector<std::vector<bool>> zeroed;
  if (options_.budget == Budget::Layer) {
    for (size_t i = 0; i < layers_.size(); ++i) {
      const auto& l = layers_[i];
      const auto step = hard ? RppStep{l.budget, 1.0}
                             : rpp_step(k, total, l.tiling.crossbars(), l.budget, options_.p_start, options_.ramp);
      std::mt19937_64 rng(options_.seed * 0x9E3779B97F4A7C15ULL + stream + i);
      zeroed.push_back(choose_zeroed({units[i]}, step.keep, step.p, rng)[0]);
    }
  } else {
    int64_t all = 0;
    for (const auto& u : units) all += static_cast<int64_t>(u.size());
    for (auto& u : units) set_layer_normalised_scores(u);
    const auto step = hard ? RppStep{global_budget_, 1.0}
                           : rpp_step(k, total, all, global_budget_, options_.p_start, options_.ramp);
    std::mt19937_64 rng(options_.seed * 0x9E3779B97F4A7C15ULL + stream);
    zeroed = choose_zeroed(units, step.keep, step.p, rng);
  }
  std::vector<torch::Tensor> masks;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const auto& l = layers_[i];
    const int64_t blocks = static_cast<int64_t>(l.tiling.row_blocks.size());
    masks.push_back(apply_mask(l, keep_mask(units[i], zeroed[i], blocks, l.tiling.cols)));
  }
  return masks;
}

void CrossbarPruner::project(int64_t k, int64_t total) { project_all(k, total, false, static_cast<uint64_t>(k) * 1000); }

void CrossbarPruner::finalize() {
  const auto masks = project_all(0, 0, true, 0xFFFFFFFFULL);
  for (size_t i = 0; i < layers_.size(); ++i)
    net_->weight_layers()[layers_[i].weight_index]->set_matrix_masks({masks[i]});
}

}  // namespace xbarcut::methods::xbprune
