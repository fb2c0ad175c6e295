// TraNNsformer's size-constrained spectral clustering of a layer's connectivity: groups of inputs and
// outputs whose block is dense, split recursively until every group fits one crossbar.
#pragma once
#include <cstdint>
#include <vector>

#include "hw/connectivity_mask.hpp"

namespace xbarcut::hw {

struct ClusteringOptions {
  int64_t crossbar = 64;     // X: clusters must fit an X x X crossbar
  double size_factor = 2.0;  // paper: split until inputs + outputs <= size_factor * X
  // Ours: also split until inputs <= X and outputs <= X, so a cluster really is one crossbar
  // (the sum rule alone lets 100 inputs x 20 outputs through at X = 64).
  bool one_crossbar = true;
  double quality = 0.7;      // a group becomes a cluster only if its density exceeds this
  int64_t eigenvectors = 5;  // paper: 5 eigenvectors of the random-walk Laplacian
  int64_t k = 5;             // paper: k-means with k = 5
  uint64_t seed = 1;
  // Ours: a cluster costs a whole crossbar, so a tiny dense group (one input, one output) is not worth
  // one; below this many synapses it stays unclustered. 0 here means "X" (one row's worth).
  int64_t min_synapses = 0;
  int64_t max_rounds = 64;   // extraction rounds per region (each round re-embeds what is left)
};

// Throws xbarcut::Error on a non-positive crossbar, k, eigenvector count or a quality outside [0, 1).
void validate(const ClusteringOptions& options);

struct Cluster {
  std::vector<int64_t> inputs;   // rows of the mask, ascending
  std::vector<int64_t> outputs;  // columns of the mask, ascending
  int64_t synapses = 0;          // synapses of the mask inside inputs x outputs
  double quality = 0;            // synapses / (inputs * outputs): the density of its crossbar block

  int64_t size() const { return static_cast<int64_t>(inputs.size() + outputs.size()); }
};

bool fits(const Cluster& c, const ClusteringOptions& options);

// Clusters of the mask, every one fitting the size limit and denser than options.quality. Groups
// from the spectral split that are too big are split again recursively (see the .cpp for how this
// differs from the authors' code). Each synapse belongs to at most one cluster: `synapses` counts the
// synapses a cluster claimed, in the order found, so blocks may overlap only in cells claimed
// earlier. Deterministic for options.seed.
std::vector<Cluster> size_constrained_clusters(const ConnectivityMask& mask, const ClusteringOptions& options);

}  // namespace xbarcut::hw
