// What each crossbar tile of a matrix actually uses: non-zero cells, live input rows, live output
// columns. One streaming pass over the values; every area, routing and energy figure derives from it.
#pragma once
#include <cstdint>
#include <vector>

#include "hw/tiling.hpp"
#include "hw/weight_matrix.hpp"

namespace xbarcut::hw {

struct TileUsage {
  int64_t row_block = 0, col_block = 0;
  int64_t rows = 0, cols = 0;  // real (unpadded) rows and columns of the matrix in this tile
  int64_t nonzero = 0;         // cells with |w| > threshold
  int64_t live_rows = 0;       // row groups with any |w| > threshold: input wires still needed
  int64_t live_cols = 0;       // column groups with any |w| > threshold: output wires still needed

  bool empty() const { return nonzero == 0; }
  // Padding rows/columns carry no signal, so only real ones are routed.
  int64_t wires() const { return rows + cols; }
  int64_t live_wires() const { return live_rows + live_cols; }
  // The smallest dense crossbar holding this tile's live rows x live columns.
  int64_t compacted_cells() const { return live_rows * live_cols; }
};

struct MatrixUsage {
  std::vector<TileUsage> tiles;  // indexed by Tiling::tile_index
  int64_t nonzero = 0;
  int64_t nonempty_tiles = 0;
  int64_t live_rows = 0, live_cols = 0;  // summed over tiles: live input / output wires
  int64_t wires = 0, live_wires = 0;
  int64_t compacted_cells = 0;
};

// |w| > zero_threshold counts as a connection. A shape-only matrix has every cell live.
// Throws xbarcut::Error if the tiling does not belong to the matrix or the matrix is invalid.
MatrixUsage scan_usage(const WeightMatrix& m, const Tiling& tiling, double zero_threshold = 0.0);

}  // namespace xbarcut::hw
