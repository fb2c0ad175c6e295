// TraNNsformer's hardware comparison for one crossbar size: the original network, the magnitude-pruned
// network (empty rows/columns dropped, tiled) and the clustered network, per layer and in total.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/cluster_mapping.hpp"
#include "nn/net.hpp"

namespace xbarcut::methods {

struct CrossbarComparison {
  int64_t xbar = 0;
  std::vector<hw::LayerMapping> original, pruned, transformed;
  hw::MappingTotals original_total, pruned_total, transformed_total;
  bool has_pruned = false;
};

// `clusters` per layer name for the transformed net; layers without an entry are mapped unclustered.
// `pruned` may be null. Layers are every weight layer of `transformed`, classifier included.
CrossbarComparison compare_on_crossbars(const nn::Net& transformed, const nn::Net* pruned,
                                        const std::map<std::string, std::vector<hw::Cluster>>& clusters,
                                        int64_t xbar, const hw::HardwareOptions& hw);

nlohmann::json to_json(const CrossbarComparison& c);

// The paper's sweep 16, 32, 64, 128, plus `xbar` when it is another size.
std::vector<int64_t> sweep_sizes(int64_t xbar);

}  // namespace xbarcut::methods
