// Direct low-rank approximation as one call (Group Scissor's "Direct LRA" row): every layer but the classifier is
// cut to the smallest rank within eps, or to given ranks, with no retraining. Several eps values make a sweep,
// each from the input network. `xbarcut lowrank` calls run_low_rank_approximation.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/network_cost.hpp"
#include "methods/rank_clipping/low_rank_approximation.hpp"
#include "report/rank_clipping_plots.hpp"
#include "nn/net.hpp"
#include "train/data.hpp"

namespace xbarcut::methods {

struct LowRankOptions {
  std::vector<double> eps;                // one value, or a sweep; each in (0, 1)
  std::map<std::string, int64_t> ranks;   // or explicit ranks of the named layers (eps then empty)
  LraMethod method = LraMethod::PcaUncentred;
  hw::HardwareOptions hw;
};

// Throws a one-line xbarcut::Error: neither or both of eps and ranks, an eps outside (0, 1).
void validate(const LowRankOptions& options);

struct LowRankResult {
  double baseline_accuracy = 0;
  // One row per eps (or one for the ranks): {"accuracy", "errors", "eps", "ranks", "full_ranks", "rank_ratios",
  // "crossbar_area_ratio", "crossbar_area"}.
  std::vector<nlohmann::json> rows;
  nn::Net net{nullptr};  // the approximated network of a single eps or of the ranks; null for a sweep
};

// `net` is left unchanged for a sweep; for one eps or the ranks it is approximated in place (result.net).
LowRankResult run_low_rank_approximation(const LowRankOptions& options, nn::Net net, const train::Data& data);

// A row (or a clip run's summary) as a point of the area-against-error picture.
report::AreaErrorPoint area_error(const nlohmann::json& row);
// The points of the clip runs in these folders (their summary.json); a one-line Error for a folder without one.
std::vector<report::AreaErrorPoint> clip_run_points(const std::vector<std::string>& dirs);

}  // namespace xbarcut::methods
