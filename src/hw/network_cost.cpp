#include "hw/network_cost.hpp"

#include <utility>

#include "common/error.hpp"
#include "hw/routing.hpp"

namespace xbarcut::hw {

void validate(const HardwareOptions& o) {
  validate(o.xbar);
  if (!(o.zero_threshold >= 0)) {
    throw Error("zero threshold " + std::to_string(o.zero_threshold) + " is negative; use 0 or more");
  }
  if (!(o.feature_size_F > 0)) {
    throw Error("feature size F = " + std::to_string(o.feature_size_F) + " is not positive; use e.g. 1");
  }
  if (!(o.routing_alpha > 0)) {
    throw Error("routing alpha = " + std::to_string(o.routing_alpha) + " is not positive; use e.g. 1");
  }
  if (!(o.min_divisor_fraction >= 0 && o.min_divisor_fraction <= 1)) {
    throw Error("min_divisor_fraction " + std::to_string(o.min_divisor_fraction) +
                " is outside [0, 1]; 0.25 falls back to padded tiles below a quarter of the crossbar");
  }
  validate(o.energy);
}

Tiling tile_matrix(int64_t rows, int64_t cols, const HardwareOptions& o) {
  return tile_matrix(rows, cols, o.xbar, o.policy, o.min_divisor_fraction);
}

namespace {

MatrixCost cost_validated(const WeightMatrix& m, const HardwareOptions& o) {
  MatrixCost c;
  c.name = m.name;
  c.rows = m.rows;
  c.cols = m.cols;
  c.tiling = tile_matrix(m.rows, m.cols, o);
  MatrixUsage u = scan_usage(m, c.tiling, o.zero_threshold);
  const int64_t per_xbar = c.tiling.xbar_rows * c.tiling.xbar_cols;
  c.xbar_rows = c.tiling.xbar_rows;
  c.xbar_cols = c.tiling.xbar_cols;
  c.crossbars = c.tiling.crossbars();
  c.nonempty_crossbars = u.nonempty_tiles;
  c.cells = c.tiling.cells();
  c.nonempty_cells = u.nonempty_tiles * per_xbar;
  c.compacted_cells = u.compacted_cells;
  c.nonzero_cells = u.nonzero;
  c.utilisation = static_cast<double>(u.nonzero) / static_cast<double>(c.cells);
  c.wires = u.wires;
  c.live_wires = u.live_wires;
  c.live_wires_ratio = live_wire_fraction(u.live_wires, u.wires);
  c.routing_area_ratio = routing_area_ratio(u.live_wires, u.wires);
  c.routing_area = routing_area(u.live_wires, o.routing_alpha);
  c.crossbar_area = static_cast<double>(c.cells) * kCellAreaF2 * o.feature_size_F * o.feature_size_F;
  c.energy = matrix_energy(c.tiling, u, m.uses, o.energy);
  c.energy_pj = c.energy.total_pj();
  c.big = c.tiling.big();
  c.tiles = std::move(u.tiles);
  return c;
}

void add(CostTotals& t, const MatrixCost& c, const HardwareOptions& o) {
  t.matrices += 1;
  t.crossbars += c.crossbars;
  t.nonempty_crossbars += c.nonempty_crossbars;
  t.cells += c.cells;
  t.nonempty_cells += c.nonempty_cells;
  t.compacted_cells += c.compacted_cells;
  t.nonzero_cells += c.nonzero_cells;
  t.wires += c.wires;
  t.live_wires += c.live_wires;
  t.wires_squared += static_cast<double>(c.wires) * static_cast<double>(c.wires);
  t.live_wires_squared += static_cast<double>(c.live_wires) * static_cast<double>(c.live_wires);
  t.crossbar_area += c.crossbar_area;
  t.routing_area = o.routing_alpha * t.live_wires_squared;
  t.energy_pj += c.energy_pj;
}

double ratio(double num, double den) { return den > 0 ? num / den : 1.0; }

}  // namespace

MatrixCost cost_matrix(const WeightMatrix& m, const HardwareOptions& o) {
  validate(o);
  return cost_validated(m, o);
}

NetworkCost cost_network(const std::vector<WeightMatrix>& current, const std::vector<WeightMatrix>& original,
                         const HardwareOptions& o) {
  validate(o);
  if (original.empty()) {
    throw Error("the original network has no weight matrices; pass the unfactorised layer shapes "
                "(or the current list itself) as the reference");
  }
  NetworkCost n;
  n.matrices.reserve(current.size());
  std::vector<double> big_fractions;
  for (const WeightMatrix& m : current) {
    n.matrices.push_back(cost_validated(m, o));
    const MatrixCost& c = n.matrices.back();
    add(n.total, c, o);
    if (c.big) big_fractions.push_back(c.live_wires_ratio);
  }
  for (const WeightMatrix& m : original) add(n.original, cost_validated(m, o), o);

  const double orig_cells = static_cast<double>(n.original.cells);
  n.crossbar_area_ratio = ratio(static_cast<double>(n.total.cells), orig_cells);
  n.nonempty_area_ratio = ratio(static_cast<double>(n.total.nonempty_cells), orig_cells);
  n.compacted_area_ratio = ratio(static_cast<double>(n.total.compacted_cells), orig_cells);
  n.routing_area_ratio = mean_routing_area_ratio(big_fractions);
  n.live_wires_mean = mean_live_wire_fraction(big_fractions);
  n.routing_area_total_ratio = ratio(n.total.live_wires_squared, n.original.wires_squared);
  n.energy_ratio = ratio(n.total.energy_pj, n.original.energy_pj);
  return n;
}

}  // namespace xbarcut::hw
