// Matrices with a chosen structure for the crossbar-model tests: random weights, and weights whose
// tiles keep an exact number of live wires (to reproduce the paper's routing figures).
#pragma once
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "hw/tiling.hpp"
#include "hw/weight_matrix.hpp"

namespace xbarcut::hw::test {

// Uniform weights in [-1, 1], a `zero_fraction` of them exactly zero.
inline WeightMatrix random_matrix(const std::string& name, int64_t rows, int64_t cols, uint32_t seed,
                                  double zero_fraction = 0.3) {
  WeightMatrix m{name, rows, cols, std::vector<float>(static_cast<size_t>(rows * cols)), 1};
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> w(-1.0f, 1.0f);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (float& v : m.values) v = u(gen) < zero_fraction ? 0.0f : w(gen);
  return m;
}

// A matrix whose tiles (under `tiling`) keep exactly `live` wires in total. In one tile a live count
// is 0 or in [2, rows + cols]: r live rows and c live columns need r, c >= 1 together. The tile's
// non-zeros sit on a staircase touching rows 0..r-1 and columns 0..c-1 of the tile.
inline WeightMatrix matrix_with_live_wires(const std::string& name, const Tiling& tiling, int64_t live) {
  WeightMatrix m{name, tiling.rows, tiling.cols,
                 std::vector<float>(static_cast<size_t>(tiling.rows * tiling.cols), 0.0f), 1};
  int64_t remaining = live;
  for (const Block& rb : tiling.row_blocks) {
    for (const Block& cb : tiling.col_blocks) {
      const int64_t p = rb.size(), q = cb.size();
      int64_t w = remaining < p + q ? remaining : p + q;
      if (remaining - w == 1) w -= 1;  // never leave a single wire for the next tile
      if (w < 2) continue;
      const int64_t r = w - 1 < p ? w - 1 : p;
      const int64_t c = w - r;
      for (int64_t k = 0; k < (r > c ? r : c); ++k) {
        const int64_t row = rb.begin + (k < r ? k : r - 1);
        const int64_t col = cb.begin + (k < c ? k : c - 1);
        m.values[static_cast<size_t>(row * m.cols + col)] = 0.5f;
      }
      remaining -= w;
    }
  }
  return m;
}

// A ratio as a percentage with two decimals, the way the paper prints it.
inline std::string pct2(double ratio) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", ratio * 100.0);
  return buf;
}

}  // namespace xbarcut::hw::test
