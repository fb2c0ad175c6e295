#include "methods/rank_clipping/run_low_rank_approximation.hpp"

#include <fmt/core.h>

#include <filesystem>

#include "common/error.hpp"
#include "report/json_file.hpp"
#include "methods/rank_clipping/net_factorisation.hpp"
#include "methods/rank_clipping/rank_report.hpp"
#include "nn/copy_state.hpp"
#include "train/trainer.hpp"

namespace xbarcut::methods {

void validate(const LowRankOptions& o) {
  if (o.eps.empty() && o.ranks.empty()) throw Error("give `eps` (one value or a sweep such as 0.01,0.03,0.1) or `ranks`");
  if (!o.eps.empty() && !o.ranks.empty()) throw Error("give either `eps` or `ranks`, not both");
  for (double e : o.eps)
    if (!(e > 0 && e < 1)) throw Error(fmt::format("`eps` must be in (0, 1), got {}", e));
  hw::validate(o.hw);
}

namespace {

// One approximation of `net` in place: its accuracy, ranks, errors and area.
nlohmann::json approximate_once(nn::Net& net, double eps, const LowRankOptions& o, const train::Data& data) {
  const auto layers = direct_low_rank(net, eps, o.method, o.ranks);
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& l : layers) errors[l.layer] = l.error;
  nlohmann::json row{{"accuracy", train::evaluate(net, data.test)}, {"errors", errors}};
  if (o.ranks.empty()) row["eps"] = eps;
  row.update(low_rank_report(net, o.hw));
  return row;
}

}  // namespace

LowRankResult run_low_rank_approximation(const LowRankOptions& o, nn::Net net, const train::Data& data) {
  validate(o);
  check_requested_ranks(net, o.ranks);
  LowRankResult r;
  r.baseline_accuracy = train::evaluate(net, data.test);
  fmt::print(stderr, "baseline test accuracy {:.4f}\n", r.baseline_accuracy);
  if (o.eps.size() <= 1) {
    // With ranks the eps is unused (only the named layers change).
    r.rows.push_back(approximate_once(net, o.eps.empty() ? 0.03 : o.eps[0], o, data));
    r.net = net;
    return r;
  }
  for (double e : o.eps) {
    auto copy = nn::clone(net);  // every sweep point starts from the input network
    if (net->channels_last()) copy->use_channels_last();
    r.rows.push_back(approximate_once(copy, e, o, data));
    const auto& row = r.rows.back();
    fmt::print("eps {:<6} accuracy {:.4f}  area {:6.2f} %  ranks {}\n", e, row["accuracy"].get<double>(),
               100 * row["crossbar_area_ratio"].get<double>(), row["ranks"].dump());
  }
  return r;
}

report::AreaErrorPoint area_error(const nlohmann::json& row) {
  const double eps = row.contains("options") ? row["options"].value("eps", 0.0) : row.value("eps", 0.0);
  return {row.at("crossbar_area_ratio").get<double>(), 1 - row.at("accuracy").get<double>(), eps};
}

std::vector<report::AreaErrorPoint> clip_run_points(const std::vector<std::string>& dirs) {
  std::vector<report::AreaErrorPoint> points;
  for (const auto& dir : dirs) {
    const auto run = report::read_json_or_null((std::filesystem::path(dir) / "summary.json").string());
    if (run.is_null()) throw Error("`clip_runs`: cannot read " + dir + "/summary.json; give folders written by xbarcut clip");
    points.push_back(area_error(run));
  }
  return points;
}

}  // namespace xbarcut::methods
