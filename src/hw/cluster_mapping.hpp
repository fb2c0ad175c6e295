// TraNNsformer's hardware mapping: each cluster on its own X x X crossbar (its inputs and outputs
// permuted into it), the remaining synapses on tiled crossbars after all-empty rows and columns are
// removed. Area and energy use the same constants as the rest of the crossbar model.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "hw/bipartite_clustering.hpp"
#include "hw/connectivity_mask.hpp"
#include "hw/energy.hpp"
#include "hw/network_cost.hpp"

namespace xbarcut::hw {

struct LayerMapping {
  std::string name;
  int64_t rows = 0, cols = 0;  // the layer: inputs x outputs
  int64_t xbar = 0;            // X: every crossbar is X x X
  int64_t synapses = 0;
  int64_t clusters = 0;
  int64_t cluster_crossbars = 0;    // one per cluster when it fits (more if a cluster exceeds X)
  int64_t clustered_synapses = 0;
  int64_t residual_crossbars = 0;   // non-empty tiles of the compacted residual matrix
  int64_t residual_synapses = 0;
  int64_t residual_rows = 0, residual_cols = 0;  // live rows / columns of the residual
  EnergyBreakdown energy;           // per inference, pJ
  double area_f2 = 0;               // crossbars * X^2 * 4 F^2

  int64_t crossbars() const { return cluster_crossbars + residual_crossbars; }
  // Used cross-points / physical cross-points.
  double utilisation() const;
  double energy_pj() const { return energy.total_pj(); }
};

// The clustered mapping. Each synapse goes to the first cluster whose block holds it, so every synapse
// of `mask` is mapped exactly once (clusters that end up with no synapse take no crossbar). A cluster
// of p inputs and q outputs takes ceil(p / X) * ceil(q / X) crossbars. `uses` = reads per inference.
LayerMapping map_clustered(const std::string& name, const ConnectivityMask& mask, const std::vector<Cluster>& clusters,
                           int64_t xbar, const HardwareOptions& hw, int64_t uses = 1);

// No clusters: the authors' mapping of a pruned network (empty rows and columns dropped, the rest
// tiled). On a fully connected mask it equals the plain tiling of the original layer.
LayerMapping map_compacted(const std::string& name, const ConnectivityMask& mask, int64_t xbar,
                           const HardwareOptions& hw, int64_t uses = 1);

struct MappingTotals {
  int64_t crossbars = 0, cluster_crossbars = 0, residual_crossbars = 0;
  int64_t synapses = 0, clustered_synapses = 0;
  double area_f2 = 0, energy_pj = 0;
  double utilisation = 0;  // synapses / (crossbars * X^2)
};

MappingTotals total(const std::vector<LayerMapping>& layers);

}  // namespace xbarcut::hw
