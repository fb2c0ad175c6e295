// L0-constrained gradient descent (LGD) on a network's crossbar groups: the trainer runs plain SGD and
// calls project() every T iterations (RPP); finalize() makes the last, hard projection and fixes the
// masks for fine-tuning. Deterministic for a seed.
#pragma once
#include <torch/torch.h>

#include "hw/network_cost.hpp"
#include "methods/crossbar_aware_pruning/pruning_options.hpp"
#include "nn/net.hpp"

namespace xbarcut::methods::xbprune {

struct PrunedLayer {
  size_t weight_index = 0;  // into Net::weight_layers()
  std::string name;
  hw::Tiling tiling;
  int64_t budget = 0;        // s: crossbars (units) kept (budget layer; the global budget decides it per run)
  torch::Tensor row_block;   // N: the row block of every matrix row
};

class CrossbarPruner {
 public:
  // Picks the layers to prune (dense, at least min_crossbars crossbars, not the classifier unless asked).
  // Throws Error when the net has factorised layers or nothing can be pruned.
  CrossbarPruner(nn::Net net, hw::HardwareOptions hardware, PruneOptions options);

  const std::vector<PrunedLayer>& layers() const { return layers_; }
  const PruneOptions& options() const { return options_; }
  // Crossbars (units) the pruned layers keep together at the hard projection: the global budget, or the sum of
  // the layers' own budgets.
  int64_t budget_crossbars() const;

  // Relaxed projection k of `total` (1-based) on every pruned layer.
  void project(int64_t k, int64_t total);
  // Hard projection to the budget s, then fixed masks (1 keep / 0 deleted) on every pruned layer.
  void finalize();

  // [row blocks, M] squared column norms inside each row block, measured on the folded weights (the
  // values the crossbars will hold), so a bn scale does not distort the ranking.
  torch::Tensor column_norms(const PrunedLayer& layer) const;

 private:
  // Projection k of `total` (or the hard one) on every layer; returns each layer's N x M keep mask.
  std::vector<torch::Tensor> project_all(int64_t k, int64_t total, bool hard, uint64_t stream);
  // Zeroes `layer`'s weights outside `keep` ([row blocks, M]); returns the N x M mask.
  torch::Tensor apply_mask(const PrunedLayer& layer, const torch::Tensor& keep);

  nn::Net net_;
  hw::HardwareOptions hardware_;
  PruneOptions options_;
  std::vector<PrunedLayer> layers_;
  int64_t global_budget_ = 0;
};

}  // namespace xbarcut::methods::xbprune
