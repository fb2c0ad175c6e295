// Packing live columns per row block (output recombination).
#include "hw/column_packing.hpp"

#include <cmath>

#include "common/error.hpp"

namespace xbarcut::hw {

ColumnPacking pack_columns(const WeightMatrix& m, const Tiling& tiling, double zero_threshold) {
  validate(m);
  if (tiling.rows != m.rows || tiling.cols != m.cols)
    throw Error("tiling does not belong to matrix '" + m.name + "'; tile each matrix with its own shape");
  ColumnPacking p;
  p.original_crossbars = tiling.crossbars();
  const int64_t q = tiling.xbar_cols;
  for (size_t rb = 0; rb < tiling.row_blocks.size(); ++rb) {
    const Block& rows = tiling.row_blocks[rb];
    std::vector<int64_t> live;
    for (int64_t c = 0; c < m.cols; ++c) {
      bool any = !m.has_values();
      for (int64_t r = rows.begin; r < rows.end && !any; ++r) any = std::fabs(m.at(r, c)) > zero_threshold;
      if (any) live.push_back(c);
    }
    for (size_t start = 0; start < live.size(); start += static_cast<size_t>(q)) {
      PackedCrossbar x;
      x.row_block = static_cast<int64_t>(rb);
      const size_t end = std::min(live.size(), start + static_cast<size_t>(q));
      x.columns.assign(live.begin() + static_cast<long>(start), live.begin() + static_cast<long>(end));
      p.crossbars.push_back(std::move(x));
    }
  }
  return p;
}

}  // namespace xbarcut::hw
