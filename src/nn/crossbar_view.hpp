// The bridge from a LibTorch network to the pure C++ crossbar model: every weight layer as one matrix
// (dense) or two (factorised U, V^T), with values, plus the original unfactorised shapes to compare with.
#pragma once
#include <torch/torch.h>

#include <map>

#include "hw/weight_matrix.hpp"
#include "nn/net.hpp"

namespace xbarcut::nn {

hw::WeightMatrix to_weight_matrix(const std::string& name, const torch::Tensor& matrix, int64_t uses = 1);

// A grouped conv's compact matrix ((C_in / G) k k x C_out, as WeightLayer::matrices gives it) as the block-diagonal
// C_in k k x C_out matrix its crossbars hold: group g's filters see only group g's input rows.
torch::Tensor block_diagonal(const torch::Tensor& compact, int64_t groups);

// The network's current crossbar matrices with their weights (bn folded in), in layer order.
std::vector<hw::WeightMatrix> network_matrices(const Net& net);

// `spec` with the given layers at the given ranks, each checked against its matrix (one-line Error otherwise).
NetSpec with_ranks(NetSpec spec, const std::map<std::string, int64_t>& ranks);

// Shape-only matrices of a spec as it stands (ranks applied: <layer>_u and <layer>_v).
std::vector<hw::WeightMatrix> spec_matrices(const NetSpec& spec);

// Shape-only matrices of the original network: every layer dense, no ranks, no masks.
std::vector<hw::WeightMatrix> original_matrices(const NetSpec& spec);

}  // namespace xbarcut::nn
