// Low-rank factorisation of a whole network: every weight layer but the last classifier becomes
// U (N x K) then V^T (K x M). At full rank this is exact; below it is the paper's "Direct LRA".
#pragma once
#include <map>
#include <string>
#include <vector>

#include "methods/rank_clipping/low_rank_approximation.hpp"
#include "nn/net.hpp"

namespace xbarcut::methods {

struct LayerApproximation {
  std::string layer;
  int64_t rows = 0, cols = 0;  // N x M of the dense layer
  int64_t rank = 0;
  double error = 0;            // true ||W - U V^T||^2 / ||W||^2
};

// The layers rank clipping works on: every weight layer except the classifier and grouped (depthwise) convs, whose
// block-diagonal matrix a low-rank factorisation would make dense; those stay as they are.
std::vector<std::string> clippable_layers(const nn::Net& net);

// Current ranks of the clippable layers (0 = dense).
std::map<std::string, int64_t> layer_ranks(const nn::Net& net);

// Throws a one-line xbarcut::Error if a clippable layer is already factorised or carries deletion masks:
// rank clipping starts from the dense trained network.
void require_dense(const nn::Net& net);

// Factorises every clippable layer at full rank min(N, M) by SVD (exact up to float rounding).
// Calls require_dense first.
std::vector<LayerApproximation> factorise_full_rank(nn::Net& net);

// Throws a one-line xbarcut::Error if `ranks` names a layer that is not clippable, a rank outside
// 1..min(N, M), or a rank above the one a factorised layer already has (lost directions cannot come back).
void check_requested_ranks(const nn::Net& net, const std::map<std::string, int64_t>& ranks);

// Direct low-rank approximation, no retraining: with `ranks` empty every clippable layer's dense W = U V^T
// (or W) is replaced by its approximation at the smallest rank meeting eps; otherwise only the layers
// named are, each at its given rank.
std::vector<LayerApproximation> direct_low_rank(nn::Net& net, double eps, LraMethod method,
                                                const std::map<std::string, int64_t>& ranks = {});

}  // namespace xbarcut::methods
