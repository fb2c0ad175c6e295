// Output recombination executed: a column-grain-pruned matrix as its packed crossbars (hw::pack_columns),
// each fed by its row block's inputs, whose physical outputs are routed (scatter-added) to their matrix
// columns. Used to check that the packed mapping computes exactly what the pruned layer computes.
#pragma once
#include <torch/torch.h>

#include "hw/column_packing.hpp"

namespace xbarcut::methods::xbprune {

struct PackedMatrix {
  hw::ColumnPacking packing;
  std::vector<torch::Tensor> crossbars;  // per packed crossbar: [rows of its row block, its columns]
  std::vector<hw::Block> row_blocks;
  int64_t cols = 0;
};

// matrix: N x M (crossbar layout) with pruned weights exactly zero.
PackedMatrix pack_matrix(const torch::Tensor& matrix, const hw::Tiling& tiling);

// x: [B, N] inputs -> [B, M] outputs, computed crossbar by crossbar through the output routing.
torch::Tensor packed_forward(const PackedMatrix& packed, const torch::Tensor& x);

}  // namespace xbarcut::methods::xbprune
