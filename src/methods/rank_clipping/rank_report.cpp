#include "methods/rank_clipping/rank_report.hpp"

#include <algorithm>

#include "methods/rank_clipping/net_factorisation.hpp"
#include "nn/crossbar_view.hpp"
#include "report/cost_report.hpp"

namespace xbarcut::methods {

nlohmann::json low_rank_report(const nn::Net& net, const hw::HardwareOptions& hw) {
  nlohmann::json ranks = nlohmann::json::object(), full = nlohmann::json::object(), ratios = nlohmann::json::object();
  for (const auto& name : clippable_layers(net)) {
    const auto w = net->layer(name)->dense_matrix();
    const int64_t full_rank = std::min(w.size(0), w.size(1));
    const int64_t rank = net->layer(name)->factorised() ? net->layer(name)->rank() : full_rank;
    ranks[name] = rank;
    full[name] = full_rank;
    ratios[name] = static_cast<double>(rank) / static_cast<double>(full_rank);
  }
  const auto cost = hw::cost_network(nn::network_matrices(net), nn::original_matrices(net->spec()), hw);
  return {{"ranks", ranks},
          {"full_ranks", full},
          {"rank_ratios", ratios},
          {"crossbar_area_ratio", cost.crossbar_area_ratio},
          {"crossbar_area", report::cost_to_json(cost)["summary"]}};
}

}  // namespace xbarcut::methods
