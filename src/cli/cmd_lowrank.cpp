// `xbarcut lowrank`: direct low-rank approximation of a trained network, no retraining
// (methods::run_low_rank_approximation). Several --eps values make a sweep with an area-against-error picture.
#include <filesystem>
#include <sstream>

#include <fmt/core.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/flag_table.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/named_values.hpp"
#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "methods/rank_clipping/net_factorisation.hpp"
#include "methods/rank_clipping/run_low_rank_approximation.hpp"
#include "report/json_file.hpp"
#include "report/rank_clipping_plots.hpp"
#include "train/run_files.hpp"

namespace xbarcut::cli {

namespace {

struct LowRankArgs {
  std::string checkpoint, dataset, data_dir, out, lra = "pca", ranks, clip_runs;
  std::vector<double> eps;
  bool centred = false;
  int threads = 0;
  HardwareFlags hw;
};

void run_lowrank(const LowRankArgs& a) {
  claim_output_folder(a.out);  // before any work: an unwritable or busy folder fails now
  methods::LowRankOptions o;
  o.method = methods::parse_lra_method(a.lra, a.centred);
  if (!a.ranks.empty()) o.ranks = parse_rank_list(a.ranks);
  o.eps = a.eps;
  o.hw = a.hw.options();
  methods::validate(o);
  std::vector<report::AreaErrorPoint> lra_points;
  std::vector<std::string> dirs;
  std::stringstream list(a.clip_runs);
  for (std::string dir; std::getline(list, dir, ',');) dirs.push_back(dir);
  const auto clip_points = methods::clip_run_points(dirs);
  auto base = train::open_trained_network(a.checkpoint, a.dataset, a.data_dir, a.threads,
                                          [&](const train::Checkpoint& c) { methods::check_requested_ranks(c.net, o.ranks); });
  const auto r = methods::run_low_rank_approximation(o, base.ckpt.net, base.data);

  nlohmann::json summary{{"command", command_line()}, {"method", "direct_lra"}, {"model", base.model},
                         {"dataset", base.dataset}, {"base_checkpoint", a.checkpoint},
                         {"baseline_accuracy", r.baseline_accuracy}, {"lra", methods::to_string(o.method)},
                         {"xbar", a.hw.xbar}, {"policy", a.hw.policy}};
  std::filesystem::create_directories(a.out);
  for (const auto& row : r.rows) lra_points.push_back(methods::area_error(row));
  if (r.net) {
    const auto& row = r.rows.front();
    summary.update(row);
    train::write_model(a.out, r.net, base.data.input, 0,
                       {{"command", "lowrank"}, {"model", base.model}, {"dataset", base.dataset},
                        {"accuracy", row["accuracy"]}, {"ranks", row["ranks"]}});
    fmt::print("test accuracy {:.4f} (baseline {:.4f}), crossbar area {:.2f} % of the original; ranks {}\n",
               row["accuracy"].get<double>(), r.baseline_accuracy, 100 * row["crossbar_area_ratio"].get<double>(),
               row["ranks"].dump());
  } else {
    summary["sweep"] = r.rows;
  }
  if (!clip_points.empty()) summary["clip_runs"] = a.clip_runs;
  train::write_summary(a.out, summary);
  if (lra_points.size() > 1 || !clip_points.empty()) {
    report::write_area_error_plot(lra_points, clip_points, 1 - r.baseline_accuracy,
                                  (std::filesystem::path(a.out) / "area_vs_error.png").string());
    fmt::print("wrote {}/summary.json and area_vs_error.png\n", a.out);
  } else {
    fmt::print("wrote {}/model.pt and summary.json\n", a.out);
  }
}

}  // namespace

void register_lowrank(CLI::App& app) {
  auto a = std::make_shared<LowRankArgs>();
  auto* cmd = app.add_subcommand("lowrank", "Direct low-rank approximation of a trained network, no retraining "
                                            "(Group Scissor's Direct LRA). Writes DIR/model.pt (one eps or --ranks), "
                                            "summary.json, area_vs_error.png (sweep)");
  add_trained_network_flags(cmd, a->checkpoint, a->dataset, a->data_dir, a->out);
  cmd->add_option("--eps", a->eps, "largest relative approximation error per layer, in (0, 1); a list "
                                   "(0.01,0.03,0.1) runs a sweep")
      ->delimiter(',');
  cmd->add_option("--ranks", a->ranks, "explicit ranks instead of --eps, e.g. conv1=5,conv2=12,fc1=36");
  cmd->add_option("--lra", a->lra, "pca (the authors' default) | svd")->capture_default_str();
  cmd->add_flag("--centered", a->centred, "centre the rows before PCA (the paper's Algorithm 1)");
  cmd->add_option("--clip-runs", a->clip_runs, "folders of xbarcut clip runs to add to the area-vs-error picture");
  add_table_flag(cmd, "--threads", a->threads);
  a->hw.add_to(cmd);
  cmd->callback([a] { run_lowrank(*a); });
}

}  // namespace xbarcut::cli
