// The hardware cost of a whole network on crossbars, against an original network: crossbar area,
// routing area, energy. Pure arithmetic on weight matrices; the caller unrolls layers into them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "hw/energy.hpp"
#include "hw/tile_usage.hpp"
#include "hw/tiling.hpp"
#include "hw/weight_matrix.hpp"

namespace xbarcut::hw {

struct HardwareOptions {
  CrossbarShape xbar{64, 64};  // Group Scissor, Table 2: maximum crossbar 64 x 64
  TilingPolicy policy = TilingPolicy::Divisor;
  double min_divisor_fraction = kDefaultMinDivisorFraction;  // Divisor fallback, see tiling.hpp
  double zero_threshold = 0.0;  // |w| <= this is no connection (the authors' code zeroes |w| < 1e-4)
  double feature_size_F = 1.0;  // areas are reported in F^2 with this F (so 1 gives "F^2 units")
  double routing_alpha = 1.0;   // A_r = alpha * wires^2; only ratios are meaningful
  EnergyOptions energy;
};

// Throws xbarcut::Error on a bad crossbar, negative threshold, non-positive F or alpha, bad energy.
void validate(const HardwareOptions& options);

// The tiling these options give a rows x cols matrix.
Tiling tile_matrix(int64_t rows, int64_t cols, const HardwareOptions& options);

inline constexpr double kCellAreaF2 = 4.0;  // a memristor cell is 4 F^2 (Table 2)

struct MatrixCost {
  std::string name;
  int64_t rows = 0, cols = 0;
  int64_t xbar_rows = 0, xbar_cols = 0;
  int64_t crossbars = 0;           // all tiles of the grid
  int64_t nonempty_crossbars = 0;  // tiles holding any connection; an empty tile is left out
  int64_t cells = 0;               // crossbars * P * Q, padding included
  int64_t nonempty_cells = 0;      // nonempty_crossbars * P * Q
  int64_t compacted_cells = 0;     // each tile shrunk to a dense live-rows x live-cols crossbar
  int64_t nonzero_cells = 0;
  double utilisation = 0;          // nonzero / cells
  int64_t wires = 0, live_wires = 0;
  double live_wires_ratio = 1;     // live / wires
  double routing_area_ratio = 1;   // (live / wires)^2
  double routing_area = 0;         // alpha * live_wires^2
  double crossbar_area = 0;        // cells * 4 F^2
  double energy_pj = 0;            // per inference: uses * one read of every non-empty tile
  EnergyBreakdown energy;
  bool big = false;                // needs more than one crossbar (the paper's "big" matrices)
  Tiling tiling;                   // block boundaries = group-Lasso row/column groups
  std::vector<TileUsage> tiles;    // per tile, indexed by tiling.tile_index
};

// Sums over a list of matrices.
struct CostTotals {
  int64_t matrices = 0;
  int64_t crossbars = 0, nonempty_crossbars = 0;
  int64_t cells = 0, nonempty_cells = 0, compacted_cells = 0, nonzero_cells = 0;
  int64_t wires = 0, live_wires = 0;
  double wires_squared = 0, live_wires_squared = 0;  // sum over matrices of wires^2 (routing area / alpha)
  double crossbar_area = 0;                          // F^2
  double routing_area = 0;                           // alpha * sum live_wires^2
  double energy_pj = 0;
};

struct NetworkCost {
  std::vector<MatrixCost> matrices;  // the current network, in the order given
  CostTotals total;                  // of the current network
  CostTotals original;               // of the original network (every cell live if shape-only)
  // Crossbar area: cells / original cells (Group Scissor's "total crossbar area", Fig. 7).
  double crossbar_area_ratio = 1;
  double nonempty_area_ratio = 1;   // empty crossbars removed
  double compacted_area_ratio = 1;  // every tile shrunk to its live rows x live columns
  // Routing as the paper reports it: mean over big matrices of (live / wires)^2 and of live / wires,
  // each matrix against its own unpruned wires (1.0 when no matrix is big).
  double routing_area_ratio = 1;
  double live_wires_mean = 1;
  // Whole-network routing: sum live_wires^2 (current) / sum wires^2 (original).
  double routing_area_total_ratio = 1;
  double energy_ratio = 1;  // energy / energy of the original
};

// Costs one matrix; throws xbarcut::Error on an invalid matrix or options.
MatrixCost cost_matrix(const WeightMatrix& m, const HardwareOptions& options);

// Costs `current` and compares it with `original` (e.g. the unfactorised, unpruned layer shapes).
// Throws xbarcut::Error if `original` is empty or anything is invalid.
NetworkCost cost_network(const std::vector<WeightMatrix>& current, const std::vector<WeightMatrix>& original,
                         const HardwareOptions& options);

}  // namespace xbarcut::hw
