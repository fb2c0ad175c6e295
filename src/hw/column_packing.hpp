// Output recombination (crossbar-aware pruning, column grain): the live columns of each row block of a
// tiled matrix are packed densely into ceil(live / Q) crossbars; each crossbar records which matrix
// columns (outputs) its physical columns feed, i.e. the output routing to the accumulators.
#pragma once
#include <cstdint>
#include <vector>

#include "hw/tiling.hpp"
#include "hw/weight_matrix.hpp"

namespace xbarcut::hw {

struct PackedCrossbar {
  int64_t row_block = 0;
  std::vector<int64_t> columns;  // physical column c of this crossbar computes matrix column columns[c]
};

struct ColumnPacking {
  std::vector<PackedCrossbar> crossbars;  // row block by row block, columns in increasing order
  int64_t original_crossbars = 0;         // the unpruned grid
  int64_t count() const { return static_cast<int64_t>(crossbars.size()); }
};

// A column is live in a row block if any of its weights there has |w| > zero_threshold. A shape-only
// matrix has every column live (so packing returns the original count when Q divides nothing away).
ColumnPacking pack_columns(const WeightMatrix& m, const Tiling& tiling, double zero_threshold = 0.0);

}  // namespace xbarcut::hw
