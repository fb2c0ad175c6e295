// The group-Lasso groups of one crossbar matrix (Group Scissor, eq. 4-6): a row group is the Q weights of one
// crossbar row inside one tile, a column group the P weights of one crossbar column. Taken from hw tiling, so the
// regulariser and the routing metric (hw::scan_usage) share one definition of a wire.
#pragma once
#include <torch/torch.h>

#include "hw/tiling.hpp"

namespace xbarcut::methods {

// Per-group multipliers of the regulariser: rows [N, column blocks] and columns [row blocks, M], like the
// norms of CrossbarGroups; undefined tensors mean 1 everywhere (the plain group Lasso).
struct GroupWeights {
  torch::Tensor rows, cols;
  bool defined() const { return rows.defined(); }
};

class CrossbarGroups {
 public:
  explicit CrossbarGroups(hw::Tiling tiling);

  const hw::Tiling& tiling() const { return tiling_; }
  // Number of row groups (one input wire each) plus column groups (one output wire each).
  int64_t groups() const;

  // All norms below take the matrix in crossbar layout: N rows (inputs) x M columns (outputs).
  // [N, column blocks]: entry (r, b) is the norm of row r inside column block b.
  torch::Tensor row_group_norms(const torch::Tensor& m) const;
  // [row blocks, M]: entry (b, c) is the norm of column c inside row block b.
  torch::Tensor col_group_norms(const torch::Tensor& m) const;
  // Sum of all group norms: the bracket of eq. 4.
  double penalty(const torch::Tensor& m, const GroupWeights& weights = {}) const;
  // lambda * (w / ||row group|| + w / ||column group||) for every weight (eq. 6); a norm below `epsilon` is
  // taken as `epsilon` so an all-zero group gives zero instead of 0/0.
  // `weights`, when given, scales each group's term (adaptive group Lasso), shaped like the norms above.
  torch::Tensor gradient(const torch::Tensor& m, double lambda, double epsilon, const GroupWeights& weights = {}) const;
  // The proximal operator of t * (sum of group norms), applied to the row groups and then to the column groups:
  // each group is scaled by max(0, 1 - t / ||group||), so a group whose norm is at most t becomes exactly zero.
  // (The row and column groups overlap, so the exact joint operator has no closed form; this sequential one is
  // the usual approximation and still zeroes every group that the joint one would.)
  // With `weights`, a group is shrunk by t * its weight.
  torch::Tensor shrink(const torch::Tensor& m, double t, const GroupWeights& weights = {}) const;
  // Adaptive group-Lasso weights of `m` (Wang & Leng 2008): (mean group norm / group norm)^gamma, per kind of
  // group, so groups that start small are pushed to zero harder and strong groups are biased less. A zero group
  // gets the weight of a group at 1/1000 of the mean (it is zero anyway). gamma 0 gives all ones.
  GroupWeights adaptive_weights(const torch::Tensor& m, double gamma) const;
  // 1 where both groups of a weight hold a non-zero, 0 where its row or column group is all zero.
  torch::Tensor live_mask(const torch::Tensor& m) const;

 private:
  void check(const torch::Tensor& m) const;

  hw::Tiling tiling_;
  torch::Tensor row_block_of_;  // [N] int64: the row block (crossbar row of the grid) of each matrix row
  torch::Tensor col_block_of_;  // [M] int64
};

}  // namespace xbarcut::methods
