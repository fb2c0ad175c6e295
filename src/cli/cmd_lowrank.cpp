// `xbarcut lowrank`: direct low-rank approximation of a trained network, no retraining (Group Scissor's
// "Direct LRA" row). Every layer but the classifier is cut to the smallest rank within --eps, or to the
// ranks given. Several --eps values make a sweep: one row per eps and an area-against-error picture.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/low_rank_support.hpp"
#include "common/error.hpp"
#include "methods/rank_clipping/net_factorisation.hpp"
#include "report/rank_clipping_plots.hpp"
#include "train/trainer.hpp"

namespace xbarcut::cli {

namespace {

struct LowRankArgs {
  std::string checkpoint, dataset, data_dir, out, lra = "pca", ranks, clip_runs;
  std::vector<double> eps;
  bool centred = false;
  int threads = 0;
  HardwareFlags hw;
};

nlohmann::json read_summary(const std::string& dir) {
  const auto path = (std::filesystem::path(dir) / "summary.json").string();
  std::ifstream in(path);
  if (!in) throw Error("--clip-runs: cannot read " + path + "; give folders written by xbarcut clip");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    throw Error("--clip-runs: " + path + " is not valid JSON");
  }
}

// One approximation of the base network: its accuracy, ranks, errors and area.
nlohmann::json approximate_once(nn::Net& net, double eps, methods::LraMethod method,
                                const std::map<std::string, int64_t>& ranks, const BaseRun& base,
                                const hw::HardwareOptions& hw) {
  const auto layers = methods::direct_low_rank(net, eps, method, ranks);
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& l : layers) errors[l.layer] = l.error;
  nlohmann::json row{{"accuracy", train::evaluate(net, base.data.test)}, {"errors", errors}};
  if (ranks.empty()) row["eps"] = eps;
  row.update(low_rank_report(net, hw));
  return row;
}

// A summary (or sweep row) as a point of the area-against-error picture.
report::AreaErrorPoint area_error(const nlohmann::json& row) {
  const double eps = row.contains("options") ? row["options"].value("eps", 0.0) : row.value("eps", 0.0);
  return {row.at("crossbar_area_ratio").get<double>(), 1 - row.at("accuracy").get<double>(), eps};
}

void run_lowrank(const LowRankArgs& a) {
  const auto method = methods::parse_lra_method(a.lra, a.centred);
  const auto ranks = a.ranks.empty() ? std::map<std::string, int64_t>{} : parse_rank_list(a.ranks);
  if (a.eps.empty() && ranks.empty()) throw Error("give --eps (one value or a sweep such as 0.01,0.03,0.1) or --ranks");
  if (!a.eps.empty() && !ranks.empty()) throw Error("give either --eps or --ranks, not both");
  for (double e : a.eps)
    if (!(e > 0 && e < 1)) throw Error(fmt::format("--eps must be in (0, 1), got {}", e));
  const auto hw = a.hw.options();
  std::vector<nlohmann::json> clip_runs;
  if (!a.clip_runs.empty()) {
    std::stringstream ss(a.clip_runs);
    for (std::string dir; std::getline(ss, dir, ',');) clip_runs.push_back(read_summary(dir));
  }
  auto base = load_base(a.checkpoint, a.dataset, a.data_dir, a.threads,
                        [&](const train::Checkpoint& c) { methods::check_requested_ranks(c.net, ranks); });
  const double baseline = train::evaluate(base.ckpt.net, base.data.test);
  fmt::print(stderr, "baseline test accuracy {:.4f}\n", baseline);

  nlohmann::json summary{{"command", command_line()},
                         {"method", "direct_lra"},
                         {"model", base.model},
                         {"dataset", base.dataset},
                         {"base_checkpoint", a.checkpoint},
                         {"baseline_accuracy", baseline},
                         {"lra", methods::to_string(method)},
                         {"xbar", a.hw.xbar},
                         {"policy", a.hw.policy},
                         {"machine", machine_info()}};
  std::filesystem::create_directories(a.out);
  const auto out = std::filesystem::path(a.out);
  std::vector<report::AreaErrorPoint> lra_points, clip_points;
  if (a.eps.size() <= 1) {
    nn::Net net = base.ckpt.net;
    // With --ranks the eps is unused (only the named layers change).
    auto row = approximate_once(net, a.eps.empty() ? 0.03 : a.eps[0], method, ranks, base, hw);
    summary.update(row);
    train::Checkpoint ckpt;
    ckpt.net = net;
    ckpt.input = base.data.input;
    ckpt.info = {{"command", "lowrank"}, {"model", base.model}, {"dataset", base.dataset},
                 {"accuracy", row["accuracy"]}, {"ranks", row["ranks"]}};
    train::save_checkpoint((out / "model.pt").string(), ckpt);
    lra_points.push_back(area_error(row));
    fmt::print("test accuracy {:.4f} (baseline {:.4f}), crossbar area {:.2f} % of the original; ranks {}\n",
               row["accuracy"].get<double>(), baseline, 100 * row["crossbar_area_ratio"].get<double>(),
               row["ranks"].dump());
  } else {
    nlohmann::json sweep = nlohmann::json::array();
    for (double e : a.eps) {
      auto ckpt = train::load_checkpoint(a.checkpoint);
      if (ckpt.net->spec().is_conv_net()) ckpt.net->use_channels_last();
      auto row = approximate_once(ckpt.net, e, method, ranks, base, hw);
      fmt::print("eps {:<6} accuracy {:.4f}  area {:6.2f} %  ranks {}\n", e, row["accuracy"].get<double>(),
                 100 * row["crossbar_area_ratio"].get<double>(), row["ranks"].dump());
      lra_points.push_back(area_error(row));
      sweep.push_back(row);
    }
    summary["sweep"] = sweep;
  }
  for (const auto& run : clip_runs)
    clip_points.push_back(area_error(run));
  if (!clip_points.empty()) summary["clip_runs"] = a.clip_runs;
  write_json((out / "summary.json").string(), summary);
  if (lra_points.size() > 1 || !clip_points.empty()) {
    report::write_area_error_plot(lra_points, clip_points, 1 - baseline, (out / "area_vs_error.png").string());
    fmt::print("wrote {}/summary.json and area_vs_error.png\n", a.out);
  } else {
    fmt::print("wrote {}/model.pt and summary.json\n", a.out);
  }
}

}  // namespace

void register_lowrank(CLI::App& app) {
  auto a = std::make_shared<LowRankArgs>();
  auto* cmd = app.add_subcommand("lowrank", "Direct low-rank approximation of a trained network, no retraining "
                                            "(Group Scissor's Direct LRA)");
  cmd->add_option("--checkpoint", a->checkpoint, "a trained model.pt (dense, or factorised to go lower)")->required();
  cmd->add_option("--eps", a->eps, "largest relative approximation error per layer, in (0, 1); a list "
                                   "(0.01,0.03,0.1) runs a sweep")
      ->delimiter(',');
  cmd->add_option("--ranks", a->ranks, "explicit ranks instead of --eps, e.g. conv1=5,conv2=12,fc1=36");
  cmd->add_option("--lra", a->lra, "pca (the authors' default) | svd")->capture_default_str();
  cmd->add_flag("--centered", a->centred, "centre the rows before PCA (the paper's Algorithm 1)");
  cmd->add_option("--clip-runs", a->clip_runs, "folders of xbarcut clip runs to add to the area-vs-error picture");
  cmd->add_option("--dataset", a->dataset, "mnist | fashion-mnist | cifar10 | cifar10-grey (default: the checkpoint's)");
  cmd->add_option("--data-dir", a->data_dir, "folder holding the datasets (else $XBARCUT_DATA)");
  cmd->add_option("--out", a->out, "output folder for model.pt (one eps or --ranks), summary.json, "
                                   "area_vs_error.png (sweep)")
      ->required();
  cmd->add_option("--threads", a->threads, "CPU threads (default: all)");
  a->hw.add_to(cmd);
  cmd->callback([a] { run_lowrank(*a); });
}

}  // namespace xbarcut::cli
