// PNG of a layer's connectivity after TraNNsformer: inputs and outputs permuted so each cluster is a
// block, synapses dark, clusters boxed (TraNNsformer Fig. 5 look). Rows = inputs, columns = outputs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "hw/bipartite_clustering.hpp"
#include "hw/connectivity_mask.hpp"

namespace xbarcut::report {

// Inputs (rows) and outputs (columns) in cluster order: those of cluster 0 first, then the new ones of
// cluster 1, ..., then everything in no cluster, each group ascending.
struct ClusterOrder {
  std::vector<int64_t> rows, cols;
};
ClusterOrder cluster_order(const hw::ConnectivityMask& mask, const std::vector<hw::Cluster>& clusters);

// Writes the picture, at most max_side pixels on its longest side (cells averaged down when needed).
// Clusters whose rows and columns are contiguous in cluster_order are boxed; one sharing inputs or
// outputs with an earlier cluster is spread over the picture and is not.
// Throws xbarcut::Error when the file cannot be written.
void write_cluster_picture(const hw::ConnectivityMask& mask, const std::vector<hw::Cluster>& clusters,
                           const std::string& path, int64_t max_side = 1200);

}  // namespace xbarcut::report
