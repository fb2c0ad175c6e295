#include "hw/cluster_mapping.hpp"

#include "common/error.hpp"

namespace xbarcut::hw {

double LayerMapping::utilisation() const {
  const double cells = static_cast<double>(crossbars()) * static_cast<double>(xbar * xbar);
  return cells > 0 ? static_cast<double>(synapses) / cells : 0.0;
}

namespace {

void check(const ConnectivityMask& mask, int64_t xbar, const HardwareOptions& hw, int64_t uses) {
  if (xbar < 1) throw Error("crossbar size must be at least 1 (got " + std::to_string(xbar) + ")");
  if (uses < 1) throw Error("a layer is read at least once per inference (uses >= 1)");
  if (mask.rows < 1 || mask.cols < 1) throw Error("cannot map an empty connectivity matrix");
  validate(hw);
}

// One read of one non-empty X x X crossbar with the given live input and output wires, as
// hw::matrix_energy charges it.
void add_crossbar_read(EnergyBreakdown& e, int64_t xbar, int64_t live_rows, int64_t live_cols, double reads,
                       const EnergyOptions& o) {
  e.array_pj += reads * static_cast<double>(xbar * xbar) * o.array_pj_per_cell;
  e.fixed_pj += reads * o.crossbar_fixed_pj;
  e.dac_pj += reads * static_cast<double>(live_rows) * o.dac_pj;
  e.adc_pj += reads * static_cast<double>(live_cols) * o.adc_pj;
}

// Tiles the sub-matrix rows x cols of `owned` (those already in ascending order) into X x X crossbars and
// charges every non-empty tile. Returns the number of non-empty tiles.
int64_t tile_and_charge(const ConnectivityMask& owned, const std::vector<int64_t>& rows,
                        const std::vector<int64_t>& cols, int64_t xbar, double reads, const EnergyOptions& o,
                        EnergyBreakdown& e) {
  int64_t tiles = 0;
  std::vector<uint8_t> col_live(static_cast<size_t>(xbar));
  for (size_t r0 = 0; r0 < rows.size(); r0 += static_cast<size_t>(xbar)) {
    const size_t r1 = std::min(rows.size(), r0 + static_cast<size_t>(xbar));
    for (size_t c0 = 0; c0 < cols.size(); c0 += static_cast<size_t>(xbar)) {
      const size_t c1 = std::min(cols.size(), c0 + static_cast<size_t>(xbar));
      std::fill(col_live.begin(), col_live.end(), 0);
      int64_t live_rows = 0, live_cols = 0;
      for (size_t r = r0; r < r1; ++r) {
        bool live = false;
        for (size_t c = c0; c < c1; ++c)
          if (owned.at(rows[r], cols[c])) live = (col_live[c - c0] = 1);
        live_rows += live;
      }
      for (size_t c = c0; c < c1; ++c) live_cols += col_live[c - c0];
      if (live_rows == 0) continue;  // an empty tile is not built
      ++tiles;
      add_crossbar_read(e, xbar, live_rows, live_cols, reads, o);
    }
  }
  return tiles;
}

// Rows and columns of `m` holding at least one synapse.
void live_lines(const ConnectivityMask& m, std::vector<int64_t>& rows, std::vector<int64_t>& cols) {
  std::vector<uint8_t> col_live(static_cast<size_t>(m.cols), 0);
  for (int64_t r = 0; r < m.rows; ++r) {
    bool live = false;
    for (int64_t c = 0; c < m.cols; ++c)
      if (m.at(r, c)) live = (col_live[static_cast<size_t>(c)] = 1);
    if (live) rows.push_back(r);
  }
  for (int64_t c = 0; c < m.cols; ++c)
    if (col_live[static_cast<size_t>(c)]) cols.push_back(c);
}

LayerMapping start(const std::string& name, const ConnectivityMask& mask, int64_t xbar) {
  LayerMapping l;
  l.name = name;
  l.rows = mask.rows;
  l.cols = mask.cols;
  l.xbar = xbar;
  l.synapses = mask.count();
  return l;
}

void finish(LayerMapping& l, const ConnectivityMask& residual, double reads, const HardwareOptions& hw) {
  std::vector<int64_t> rows, cols;
  live_lines(residual, rows, cols);
  l.residual_rows = static_cast<int64_t>(rows.size());
  l.residual_cols = static_cast<int64_t>(cols.size());
  l.residual_synapses = residual.count();
  l.residual_crossbars = tile_and_charge(residual, rows, cols, l.xbar, reads, hw.energy, l.energy);
  l.area_f2 = static_cast<double>(l.crossbars() * l.xbar * l.xbar) * kCellAreaF2 * hw.feature_size_F *
              hw.feature_size_F;
}

}  // namespace

LayerMapping map_clustered(const std::string& name, const ConnectivityMask& mask, const std::vector<Cluster>& clusters,
                           int64_t xbar, const HardwareOptions& hw, int64_t uses) {
  check(mask, xbar, hw, uses);
  const double reads = static_cast<double>(uses) * static_cast<double>(hw.energy.input_slices);
  LayerMapping l = start(name, mask, xbar);
  ConnectivityMask residual = mask;  // what no cluster has taken yet
  for (const Cluster& c : clusters) {
    ConnectivityMask owned(mask.rows, mask.cols);
    int64_t taken = 0;
    for (int64_t i : c.inputs) {
      if (i < 0 || i >= mask.rows) throw Error("a cluster input lies outside the layer " + name);
      for (int64_t j : c.outputs) {
        if (j < 0 || j >= mask.cols) throw Error("a cluster output lies outside the layer " + name);
        if (residual.at(i, j)) {
          residual.set(i, j, false);
          owned.set(i, j, true);
          ++taken;
        }
      }
    }
    if (taken == 0) continue;
    ++l.clusters;
    l.clustered_synapses += taken;
    // Area: every tile of the cluster's block is built. Energy: a tile left empty by overlaps is not read.
    const int64_t tiles = ((static_cast<int64_t>(c.inputs.size()) + xbar - 1) / xbar) *
                          ((static_cast<int64_t>(c.outputs.size()) + xbar - 1) / xbar);
    l.cluster_crossbars += tiles;
    tile_and_charge(owned, c.inputs, c.outputs, xbar, reads, hw.energy, l.energy);
  }
  finish(l, residual, reads, hw);
  return l;
}

LayerMapping map_compacted(const std::string& name, const ConnectivityMask& mask, int64_t xbar,
                           const HardwareOptions& hw, int64_t uses) {
  check(mask, xbar, hw, uses);
  const double reads = static_cast<double>(uses) * static_cast<double>(hw.energy.input_slices);
  LayerMapping l = start(name, mask, xbar);
  finish(l, mask, reads, hw);
  return l;
}

MappingTotals total(const std::vector<LayerMapping>& layers) {
  MappingTotals t;
  double cells = 0;
  for (const LayerMapping& l : layers) {
    t.crossbars += l.crossbars();
    t.cluster_crossbars += l.cluster_crossbars;
    t.residual_crossbars += l.residual_crossbars;
    t.synapses += l.synapses;
    t.clustered_synapses += l.clustered_synapses;
    t.area_f2 += l.area_f2;
    t.energy_pj += l.energy_pj();
    cells += static_cast<double>(l.crossbars() * l.xbar * l.xbar);
  }
  t.utilisation = cells > 0 ? static_cast<double>(t.synapses) / cells : 0.0;
  return t;
}

}  // namespace xbarcut::hw
