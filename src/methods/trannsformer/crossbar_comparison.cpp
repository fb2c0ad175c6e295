#include "methods/trannsformer/crossbar_comparison.hpp"

#include <algorithm>

#include "methods/magnitude_pruning/magnitude_pruning.hpp"

namespace xbarcut::methods {

CrossbarComparison compare_on_crossbars(const nn::Net& transformed, const nn::Net* pruned,
                                        const std::map<std::string, std::vector<hw::Cluster>>& clusters,
                                        int64_t xbar, const hw::HardwareOptions& hw) {
  CrossbarComparison c;
  c.xbar = xbar;
  c.has_pruned = pruned != nullptr;
  for (const auto& layer : transformed->weight_layers()) {
    const std::string& name = layer->spec().name;
    const hw::ConnectivityMask mask = connectivity(layer);
    hw::ConnectivityMask full(mask.rows, mask.cols);
    std::fill(full.bits.begin(), full.bits.end(), 1);
    c.original.push_back(hw::map_compacted(name, full, xbar, hw));
    const auto it = clusters.find(name);
    c.transformed.push_back(it == clusters.end() ? hw::map_compacted(name, mask, xbar, hw)
                                                 : hw::map_clustered(name, mask, it->second, xbar, hw));
    if (pruned) c.pruned.push_back(hw::map_compacted(name, connectivity((*pruned)->layer(name)), xbar, hw));
  }
  c.original_total = hw::total(c.original);
  c.transformed_total = hw::total(c.transformed);
  if (pruned) c.pruned_total = hw::total(c.pruned);
  return c;
}

namespace {

double ratio(double a, double b) { return b > 0 ? a / b : 1.0; }

nlohmann::json layer_json(const hw::LayerMapping& l) {
  return {{"name", l.name},           {"rows", l.rows},
          {"cols", l.cols},           {"synapses", l.synapses},
          {"crossbars", l.crossbars()}, {"clusters", l.clusters},
          {"cluster_crossbars", l.cluster_crossbars}, {"clustered_synapses", l.clustered_synapses},
          {"residual_crossbars", l.residual_crossbars}, {"residual_synapses", l.residual_synapses},
          {"utilisation", l.utilisation()}, {"area_f2", l.area_f2},
          {"energy_pj", l.energy_pj()}};
}

nlohmann::json side_json(const std::vector<hw::LayerMapping>& layers, const hw::MappingTotals& t) {
  nlohmann::json per = nlohmann::json::array();
  for (const auto& l : layers) per.push_back(layer_json(l));
  return {{"crossbars", t.crossbars},   {"cluster_crossbars", t.cluster_crossbars},
          {"synapses", t.synapses},     {"utilisation", t.utilisation},
          {"area_f2", t.area_f2},       {"energy_pj", t.energy_pj},
          {"layers", per}};
}

}  // namespace

nlohmann::json to_json(const CrossbarComparison& c) {
  nlohmann::json j{{"xbar", c.xbar},
                   {"original", side_json(c.original, c.original_total)},
                   {"trannsformer", side_json(c.transformed, c.transformed_total)},
                   {"area_ratio_vs_original", ratio(c.transformed_total.area_f2, c.original_total.area_f2)},
                   {"energy_ratio_vs_original", ratio(c.transformed_total.energy_pj, c.original_total.energy_pj)}};
  if (c.has_pruned) {
    j["pruned"] = side_json(c.pruned, c.pruned_total);
    j["area_ratio_vs_pruned"] = ratio(c.transformed_total.area_f2, c.pruned_total.area_f2);
    j["energy_ratio_vs_pruned"] = ratio(c.transformed_total.energy_pj, c.pruned_total.energy_pj);
    j["pruned_area_ratio_vs_original"] = ratio(c.pruned_total.area_f2, c.original_total.area_f2);
    j["pruned_energy_ratio_vs_original"] = ratio(c.pruned_total.energy_pj, c.original_total.energy_pj);
  } else {
    j["area_ratio_vs_pruned"] = nullptr;
    j["energy_ratio_vs_pruned"] = nullptr;
  }
  return j;
}

std::vector<int64_t> sweep_sizes(int64_t xbar) {
  std::vector<int64_t> sizes{16, 32, 64, 128};
  if (std::find(sizes.begin(), sizes.end(), xbar) == sizes.end()) sizes.push_back(xbar);
  return sizes;
}

}  // namespace xbarcut::methods
