#include "hw/tile_usage.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"

namespace xbarcut::hw {

namespace {

void summarise(MatrixUsage& u) {
  for (const TileUsage& t : u.tiles) {
    u.nonzero += t.nonzero;
    u.nonempty_tiles += t.empty() ? 0 : 1;
    u.live_rows += t.live_rows;
    u.live_cols += t.live_cols;
    u.wires += t.wires();
    u.live_wires += t.live_wires();
    u.compacted_cells += t.compacted_cells();
  }
}

}  // namespace

MatrixUsage scan_usage(const WeightMatrix& m, const Tiling& tiling, double zero_threshold) {
  validate(m);
  if (tiling.rows != m.rows || tiling.cols != m.cols) {
    throw Error("tiling of a " + std::to_string(tiling.rows) + "x" + std::to_string(tiling.cols) +
                " matrix applied to '" + m.name + "' (" + std::to_string(m.rows) + "x" +
                std::to_string(m.cols) + "); tile each matrix with its own shape");
  }
  if (!(zero_threshold >= 0.0)) {
    throw Error("zero threshold " + std::to_string(zero_threshold) + " is negative; use 0 or more");
  }
  const size_t n_rb = tiling.row_blocks.size(), n_cb = tiling.col_blocks.size();
  MatrixUsage u;
  u.tiles.resize(n_rb * n_cb);
  for (size_t i = 0; i < n_rb; ++i) {
    for (size_t j = 0; j < n_cb; ++j) {
      TileUsage& t = u.tiles[i * n_cb + j];
      t.row_block = static_cast<int64_t>(i);
      t.col_block = static_cast<int64_t>(j);
      t.rows = tiling.row_blocks[i].size();
      t.cols = tiling.col_blocks[j].size();
    }
  }

  if (!m.has_values()) {
    for (TileUsage& t : u.tiles) {
      t.nonzero = t.rows * t.cols;
      t.live_rows = t.rows;
      t.live_cols = t.cols;
    }
    summarise(u);
    return u;
  }

  // Row-block by row-block, each matrix row read once and contiguously; the column-liveness flags
  // for the current row block are the only scratch memory (one byte per matrix column).
  const float thr = static_cast<float>(zero_threshold);
  std::vector<unsigned char> col_live(static_cast<size_t>(m.cols));
  const float* values = m.values.data();
  for (size_t i = 0; i < n_rb; ++i) {
    const Block rb = tiling.row_blocks[i];
    std::fill(col_live.begin(), col_live.end(), 0);
    TileUsage* row_tiles = &u.tiles[i * n_cb];
    for (int64_t r = rb.begin; r < rb.end; ++r) {
      const float* row = values + r * m.cols;
      for (size_t j = 0; j < n_cb; ++j) {
        const Block cb = tiling.col_blocks[j];
        int64_t count = 0;
        for (int64_t c = cb.begin; c < cb.end; ++c) {
          const unsigned char nz = std::fabs(row[c]) > thr ? 1 : 0;
          count += nz;
          col_live[static_cast<size_t>(c)] |= nz;
        }
        row_tiles[j].nonzero += count;
        row_tiles[j].live_rows += count > 0 ? 1 : 0;
      }
    }
    for (size_t j = 0; j < n_cb; ++j) {
      const Block cb = tiling.col_blocks[j];
      int64_t live = 0;
      for (int64_t c = cb.begin; c < cb.end; ++c) live += col_live[static_cast<size_t>(c)];
      row_tiles[j].live_cols = live;
    }
  }
  summarise(u);
  return u;
}

}  // namespace xbarcut::hw
