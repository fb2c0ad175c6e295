// Live routing wires of every regularised matrix over the iterations of group deletion (Group Scissor,
// Figure 5), counted by the crossbar model (hw::scan_usage) on the same tiling the regulariser uses.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "hw/tile_usage.hpp"
#include "methods/group_deletion/group_lasso.hpp"

namespace xbarcut::methods {

// The crossbar model's usage of one regularised matrix (|w| > threshold is a connection).
hw::MatrixUsage target_usage(const LassoTarget& target, double zero_threshold = 0.0);

struct WireHistory {
  std::vector<std::string> matrices;        // regularised matrices, in network order
  std::vector<int64_t> iters;               // iteration of each record (fine-tuning continues the count)
  std::vector<std::vector<double>> live;    // [record][matrix]: live wires / wires
  std::vector<std::pair<int64_t, double>> accuracy;  // (iteration, test accuracy)
  int64_t deletion_iter = -1;               // where the masks were fixed

  // Appends one record of every target's live-wire fraction.
  void record(int64_t iter, const GroupLasso& lasso);
  nlohmann::json to_json() const;
  // The inverse of to_json (a resumed run continues its checkpoint's history).
  static WireHistory from_json(const nlohmann::json& j);
};

}  // namespace xbarcut::methods
