// Live-wire records for the Figure 5 plot.
#include "methods/group_deletion/wire_history.hpp"

#include "hw/routing.hpp"
#include "nn/crossbar_view.hpp"

namespace xbarcut::methods {

hw::MatrixUsage target_usage(const LassoTarget& target, double zero_threshold) {
  return hw::scan_usage(nn::to_weight_matrix(target.name, target.matrix()), target.groups.tiling(), zero_threshold);
}

void WireHistory::record(int64_t iter, const GroupLasso& lasso) {
  if (matrices.empty())
    for (const auto& t : lasso.targets()) matrices.push_back(t.name);
  std::vector<double> row;
  for (const auto& t : lasso.targets()) {
    const auto u = target_usage(t);
    row.push_back(hw::live_wire_fraction(u.live_wires, u.wires));
  }
  iters.push_back(iter);
  live.push_back(std::move(row));
}

nlohmann::json WireHistory::to_json() const {
  return {{"matrices", matrices},
          {"iters", iters},
          {"live_wires_ratio", live},
          {"accuracy", accuracy},
          {"deletion_iter", deletion_iter}};
}

WireHistory WireHistory::from_json(const nlohmann::json& j) {
  WireHistory h;
  j.at("matrices").get_to(h.matrices);
  j.at("iters").get_to(h.iters);
  j.at("live_wires_ratio").get_to(h.live);
  j.at("accuracy").get_to(h.accuracy);
  j.at("deletion_iter").get_to(h.deletion_iter);
  return h;
}

}  // namespace xbarcut::methods
