// Packed crossbars and their routed forward pass.
#include "methods/crossbar_aware_pruning/output_recombination.hpp"

#include "nn/crossbar_view.hpp"

namespace xbarcut::methods::xbprune {

PackedMatrix pack_matrix(const torch::Tensor& matrix, const hw::Tiling& tiling) {
  PackedMatrix p;
  p.packing = hw::pack_columns(nn::to_weight_matrix("packed", matrix), tiling);
  p.row_blocks = tiling.row_blocks;
  p.cols = matrix.size(1);
  for (const auto& x : p.packing.crossbars) {
    const auto& rows = tiling.row_blocks[static_cast<size_t>(x.row_block)];
    auto cols = torch::tensor(x.columns, torch::kLong);
    p.crossbars.push_back(matrix.slice(0, rows.begin, rows.end).index_select(1, cols).contiguous());
  }
  return p;
}

torch::Tensor packed_forward(const PackedMatrix& packed, const torch::Tensor& x) {
  auto y = torch::zeros({x.size(0), packed.cols}, x.options());
  for (size_t i = 0; i < packed.crossbars.size(); ++i) {
    const auto& xb = packed.packing.crossbars[i];
    const auto& rows = packed.row_blocks[static_cast<size_t>(xb.row_block)];
    auto partial = torch::mm(x.slice(1, rows.begin, rows.end), packed.crossbars[i]);
    y.index_add_(1, torch::tensor(xb.columns, torch::kLong), partial);  // the output routing
  }
  return y;
}

}  // namespace xbarcut::methods::xbprune
