// Relaxant probabilistic projection (RPP) onto the L0 set ||G(W)||_0 <= s of one layer. The budget counts
// crossbars: a unit is one crossbar's worth of weights, a tile (crossbar grain) or, at column grain, Q
// columns of one row block chosen by norm (they are recombined into one crossbar after pruning).
#pragma once
#include <torch/torch.h>

#include <random>

#include "hw/tiling.hpp"
#include "methods/crossbar_aware_pruning/pruning_options.hpp"

namespace xbarcut::methods::xbprune {

struct Unit {
  int64_t row_block = 0;
  std::vector<int64_t> columns;
  double norm_sq = 0;  // squared L2 norm of the unit's weights
  double score = 0;    // what the projection ranks by: norm_sq within one layer, a layer-normalised score across layers
};

// col_norm_sq: [row blocks, M] squared norms of each column inside each row block.
// Crossbar grain: one unit per tile. Column grain: each row block's columns sorted by norm (ties by index),
// cut into chunks of Q; the count equals the tile count, so both grains share one budget.
std::vector<Unit> make_units(const torch::Tensor& col_norm_sq, const hw::Tiling& tiling, Grain grain);

struct RppStep {
  int64_t keep = 0;  // s_t: units surely kept
  double p = 1;      // p_t: probability of zeroing each other unit
};

// Projection k of `total` (1-based): over the first round(ramp x total) projections s_t shrinks linearly from all
// `units` to `s` and p_t grows linearly from p_start to 1; from then on (always at k == total) it is hard.
RppStep rpp_step(int64_t k, int64_t total, int64_t units, int64_t s, double p_start, double ramp = 1.0);

// LAMP scores of one layer's units (sets Unit::score): norm_sq / the sum of norm_sq over the units at least as
// large. The largest unit scores 1; for equal norms the i-th largest scores 1 / i, whatever the layer's scale.
void set_layer_normalised_scores(std::vector<Unit>& units);

// Which units a projection zeroes, over several layers' units ranked together by score (ties: layer, then
// position): the `keep` best survive, every other is zeroed with probability p (one draw per unit, in rank order).
std::vector<std::vector<bool>> choose_zeroed(const std::vector<std::vector<Unit>>& layers, int64_t keep, double p,
                                             std::mt19937_64& rng);

// Keep-mask [row blocks, M] (1 keep, 0 zero) of one layer's units and their zero flags.
torch::Tensor keep_mask(const std::vector<Unit>& units, const std::vector<bool>& zeroed, int64_t row_blocks,
                        int64_t cols);

// One layer's projection, keep-mask [row blocks, M]: the `keep` units with the largest norm (ties by position) are
// kept, every other unit is zeroed with probability p (one draw per unit, in rank order, from rng).
torch::Tensor project_units(const std::vector<Unit>& units, int64_t row_blocks, int64_t cols, int64_t keep, double p,
                            std::mt19937_64& rng);

}  // namespace xbarcut::methods::xbprune
