// Group norms as two index_add reductions over the block index of every row and column: one pass for any
// tiling, padded edge tiles included (padding holds no weights, so it adds nothing to a norm).
#include "methods/group_deletion/crossbar_groups.hpp"

#include "common/error.hpp"

namespace xbarcut::methods {

namespace {

torch::Tensor block_index(const std::vector<hw::Block>& blocks, int64_t n) {
  auto index = torch::empty({n}, torch::kInt64);
  auto* p = index.data_ptr<int64_t>();
  for (size_t b = 0; b < blocks.size(); ++b)
    for (int64_t i = blocks[b].begin; i < blocks[b].end; ++i) p[i] = static_cast<int64_t>(b);
  return index;
}

}  // namespace

CrossbarGroups::CrossbarGroups(hw::Tiling tiling)
    : tiling_(std::move(tiling)),
      row_block_of_(block_index(tiling_.row_blocks, tiling_.rows)),
      col_block_of_(block_index(tiling_.col_blocks, tiling_.cols)) {}

int64_t CrossbarGroups::groups() const {
  return tiling_.rows * static_cast<int64_t>(tiling_.col_blocks.size()) +
         tiling_.cols * static_cast<int64_t>(tiling_.row_blocks.size());
}

void CrossbarGroups::check(const torch::Tensor& m) const {
  if (m.dim() != 2 || m.size(0) != tiling_.rows || m.size(1) != tiling_.cols)
    throw Error("crossbar groups of a " + std::to_string(tiling_.rows) + "x" + std::to_string(tiling_.cols) +
                " matrix applied to a matrix of another shape");
}

torch::Tensor CrossbarGroups::row_group_norms(const torch::Tensor& m) const {
  check(m);
  auto sq = m.detach().to(torch::kFloat32).square();
  const auto blocks = static_cast<int64_t>(tiling_.col_blocks.size());
  return torch::zeros({tiling_.rows, blocks}).index_add_(1, col_block_of_, sq).sqrt_();
}

torch::Tensor CrossbarGroups::col_group_norms(const torch::Tensor& m) const {
  check(m);
  auto sq = m.detach().to(torch::kFloat32).square();
  const auto blocks = static_cast<int64_t>(tiling_.row_blocks.size());
  return torch::zeros({blocks, tiling_.cols}).index_add_(0, row_block_of_, sq).sqrt_();
}

double CrossbarGroups::penalty(const torch::Tensor& m, const GroupWeights& weights) const {
  if (!weights.defined()) return row_group_norms(m).sum().item<double>() + col_group_norms(m).sum().item<double>();
  return (row_group_norms(m) * weights.rows).sum().item<double>() +
         (col_group_norms(m) * weights.cols).sum().item<double>();
}

torch::Tensor CrossbarGroups::gradient(const torch::Tensor& m, double lambda, double epsilon,
                                       const GroupWeights& weights) const {
  auto w = m.detach().to(torch::kFloat32);
  // Spread each group's norm back over its weights: row group (r, block of c), column group (block of r, c).
  auto row = row_group_norms(w).clamp_min_(epsilon);
  auto col = col_group_norms(w).clamp_min_(epsilon);
  if (weights.defined()) {
    row = row / weights.rows;
    col = col / weights.cols;
  }
  return (w / row.index_select(1, col_block_of_) + w / col.index_select(0, row_block_of_)).mul_(lambda);
}

torch::Tensor CrossbarGroups::shrink(const torch::Tensor& m, double t, const GroupWeights& weights) const {
  auto w = m.detach().to(torch::kFloat32).clone();
  // An all-zero group has norm 0: the clamp makes its factor 1 - huge, clamped to 0, so it stays zero.
  auto factor = [t](const torch::Tensor& norms, const torch::Tensor& weight) {
    auto step = t / norms.clamp_min(1e-30);
    if (weight.defined()) step.mul_(weight);
    return (1.0 - step).clamp_min_(0.0);
  };
  w.mul_(factor(row_group_norms(w), weights.rows).index_select(1, col_block_of_));
  w.mul_(factor(col_group_norms(w), weights.cols).index_select(0, row_block_of_));
  return w;
}

GroupWeights CrossbarGroups::adaptive_weights(const torch::Tensor& m, double gamma) const {
  auto weigh = [gamma](const torch::Tensor& norms) {
    const auto live = norms.gt(0);
    const double mean = live.any().item<bool>() ? norms.masked_select(live).mean().item<double>() : 1.0;
    return (mean / norms.clamp_min(mean * 1e-3)).pow_(gamma);
  };
  return {weigh(row_group_norms(m)), weigh(col_group_norms(m))};
}

torch::Tensor CrossbarGroups::live_mask(const torch::Tensor& m) const {
  auto row = row_group_norms(m).gt(0).index_select(1, col_block_of_);
  auto col = col_group_norms(m).gt(0).index_select(0, row_block_of_);
  return row.logical_and(col).to(torch::kFloat32);
}

}  // namespace xbarcut::methods
