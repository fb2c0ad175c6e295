// `xbarcut clip`: Group Scissor's rank clipping (Algorithm 2). The trained network is factorised at full
// rank, then trained while every --interval iterations each layer's rank is cut to the smallest one whose
// approximation error stays within --eps. Writes DIR/model.pt, DIR/summary.json and DIR/ranks.png.
#include <chrono>
#include <filesystem>
#include <optional>

#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/low_rank_support.hpp"
#include "cli/resume_point.hpp"
#include "cli/solver_flags.hpp"
#include "common/error.hpp"
#include "methods/rank_clipping/net_factorisation.hpp"
#include "methods/rank_clipping/rank_clipper.hpp"
#include "report/rank_clipping_plots.hpp"
#include "train/trainer.hpp"

namespace xbarcut::cli {

namespace {

struct ClipArgs {
  std::string checkpoint, dataset, data_dir, out, lra = "pca";
  bool centred = false;
  methods::RankClippingOptions clip;
  int64_t iters = 0;
  SolverFlags solver;  // what the user typed; the rest is the authors' schedule stretched to --iters
  bool resume = false;
  int threads = 0;
  HardwareFlags hw;
};

// The authors' fine-tuning solver, stretched to the run's length: LeNet multistep x0.9 at 20k, 24k, 26k,
// 28k, 29k of 30k; ConvNet x0.1 at 100k, 160k of 200k (weight decay 0.004, lr 0.001).
train::SolverOptions clip_solver(const std::string& model, int64_t iters) {
  auto o = train::default_solver(model);
  o.max_iter = iters;
  o.lr_policy = "multistep";
  const bool convnet = model == "convnet";
  o.gamma = convnet ? 0.1 : 0.9;
  const std::vector<double> at = convnet ? std::vector<double>{0.5, 0.8}
                                         : std::vector<double>{20.0 / 30, 24.0 / 30, 26.0 / 30, 28.0 / 30, 29.0 / 30};
  o.stepvalues.clear();
  for (double f : at) {
    const auto s = static_cast<int64_t>(f * static_cast<double>(iters));
    if (s > 0 && (o.stepvalues.empty() || s > o.stepvalues.back())) o.stepvalues.push_back(s);
  }
  if (o.stepvalues.empty()) o.lr_policy = "fixed";
  return o;
}

// What a resumed run must share with the run that wrote the checkpoint: the clipping options and the solver (its
// JSON leaves out the intervals that only change what is printed and saved, so those may differ).
nlohmann::json resume_settings(const methods::RankClippingOptions& clip, const train::SolverOptions& solver) {
  return {{"clip", methods::to_json(clip)}, {"solver", train::to_json(solver)}};
}

nlohmann::json step_json(const methods::ClipStep& s, double accuracy) {
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& l : s.layers) errors[l.layer] = l.error;
  return {{"iter", s.iter}, {"ranks", s.ranks()}, {"accuracy", accuracy}, {"errors", errors},
          {"seconds", s.seconds}};
}

void run_clip(const ClipArgs& a) {
  // Everything the user typed is checked before the data is read.
  methods::RankClippingOptions clip = a.clip;
  clip.method = methods::parse_lra_method(a.lra, a.centred);
  methods::validate(clip);
  if (a.iters < 1) throw Error("--iters must be at least 1");
  const auto hw = a.hw.options();
  if (a.out.empty()) throw Error("--out is required");

  // The solver and an interrupted run to resume are checked against the checkpoint before the data is read.
  // DIR/checkpoint.pt holds the network at its current ranks, the solver state and the clipping history.
  const auto ckpt_path = (std::filesystem::path(a.out) / "checkpoint.pt").string();
  train::SolverOptions options;
  nlohmann::json settings;
  std::optional<train::Checkpoint> resumed;
  auto check = [&](const train::Checkpoint& c) {
    methods::require_dense(c.net);
    options = clip_solver(c.info.value("model", c.net->spec().name), a.iters);
    a.solver.apply(options);
    train::validate(options);
    settings = resume_settings(clip, options);
    resumed = resume_point(ckpt_path, a.resume,
                           {{"command", "clip"}, {"from", a.checkpoint}, {"dataset", base_dataset(c, a.dataset)},
                            {"settings", settings}});
    if (resumed && !resumed->info.contains("history"))
      throw Error(ckpt_path + " holds no clipping history, so the run cannot resume from it; leave out --resume");
  };
  auto base = load_base(a.checkpoint, a.dataset, a.data_dir, a.threads, check);

  nn::Net net = base.ckpt.net;
  const double baseline = train::evaluate(net, base.data.test);
  fmt::print(stderr, "baseline test accuracy {:.4f}\n", baseline);
  methods::factorise_full_rank(net);
  const double full_rank_acc = train::evaluate(net, base.data.test);
  const auto start_report = low_rank_report(net, hw);

  nlohmann::json history = nlohmann::json::array();
  history.push_back({{"iter", 0}, {"ranks", start_report["ranks"]}, {"accuracy", full_rank_acc}});
  double approx_seconds = 0, history_eval_seconds = 0;
  if (resumed) {
    net = resumed->net;
    if (net->spec().is_conv_net()) net->use_channels_last();
    history = resumed->info.at("history");
    approx_seconds = resumed->info.value("approximation_seconds", 0.0);
    history_eval_seconds = resumed->info.value("history_eval_seconds", 0.0);
  }
  train::Trainer* trainer_ptr = nullptr;
  train::TrainHooks hooks;
  hooks.after_step = methods::clipping_hook(clip, options.max_iter, &trainer_ptr, [&](const methods::ClipStep& s) {
    approx_seconds += s.seconds;
    const auto t0 = std::chrono::steady_clock::now();
    const double acc = train::evaluate(net, base.data.test);
    history_eval_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string ranks;
    for (const auto& [layer, rank] : s.ranks()) ranks += fmt::format(" {}={}", layer, rank);
    fmt::print(stderr, "clip  iter {:>7} ranks{}  accuracy {:.4f}  ({:.2f} s)\n", s.iter, ranks, acc, s.seconds);
    history.push_back(step_json(s, acc));
  });
  auto info = [&] {
    return nlohmann::json{{"command", "clip"}, {"model", base.model}, {"dataset", base.dataset},
                          {"ranks", methods::layer_ranks(net)}};
  };
  hooks.checkpoint_info = [&] {
    auto j = info();
    j["from"] = a.checkpoint;
    j["settings"] = settings;
    j["history"] = history;
    j["approximation_seconds"] = approx_seconds;
    j["history_eval_seconds"] = history_eval_seconds;
    return j;
  };
  std::filesystem::create_directories(a.out);
  train::Trainer trainer(net, options, base.data.train, base.data.test, base.data.input, ckpt_path, hooks);
  trainer_ptr = &trainer;
  int64_t start = 0;
  if (resumed) {
    trainer.resume_from(*resumed, ckpt_path);
    start = resumed->iter;
    fmt::print(stderr, "resuming {} from iteration {} (ranks {})\n", ckpt_path, start,
               nlohmann::json(methods::layer_ranks(net)).dump());
  }
  fmt::print(stderr, "rank clipping {} on {}: eps {} every {} iterations, {} iterations, lra {}\n", base.model,
             base.dataset, clip.eps, clip.interval, options.max_iter, methods::to_string(clip.method));
  const auto result = trainer.run();

  train::Checkpoint final_ckpt;
  final_ckpt.net = net;
  final_ckpt.input = base.data.input;
  final_ckpt.iter = result.iters;
  final_ckpt.info = info();
  final_ckpt.info["accuracy"] = result.accuracy;
  train::save_checkpoint((std::filesystem::path(a.out) / "model.pt").string(), final_ckpt);
  std::filesystem::remove(ckpt_path);

  const auto final_report = low_rank_report(net, hw);
  history.push_back({{"iter", result.iters}, {"ranks", final_report["ranks"]}, {"accuracy", result.accuracy}});
  nlohmann::json summary{{"command", command_line()},
                         {"method", "rank_clipping"},
                         {"model", base.model},
                         {"dataset", base.dataset},
                         {"base_checkpoint", a.checkpoint},
                         {"accuracy", result.accuracy},
                         {"baseline_accuracy", baseline},
                         {"full_rank_accuracy", full_rank_acc},
                         {"options", methods::to_json(clip)},
                         {"xbar", a.hw.xbar},
                         {"policy", a.hw.policy},
                         {"iters", result.iters},
                         {"resumed_from", start},
                         {"train_seconds", result.seconds},
                         {"approximation_seconds", approx_seconds},
                         {"approximation_share", result.seconds > 0 ? approx_seconds / result.seconds : 0.0},
                         {"history_eval_seconds", history_eval_seconds},
                         {"solver", train::to_json(options)},
                         {"history", history},
                         {"machine", machine_info()}};
  summary.update(final_report);
  write_json((std::filesystem::path(a.out) / "summary.json").string(), summary);
  std::vector<report::RankHistoryPoint> points;
  for (const auto& h : history) {
    report::RankHistoryPoint p{h.at("iter").get<int64_t>(), {}, h.at("accuracy").get<double>()};
    for (const auto& [layer, rank] : h.at("ranks").items())
      p.rank_ratio[layer] = rank.get<double>() / final_report.at("full_ranks").at(layer).get<double>();
    points.push_back(p);
  }
  report::write_rank_history_plot(points, (std::filesystem::path(a.out) / "ranks.png").string());
  fmt::print("test accuracy {:.4f} (baseline {:.4f}), crossbar area {:.2f} % of the original; ranks {}\n"
             "wrote {}/model.pt, summary.json and ranks.png\n",
             result.accuracy, baseline, 100.0 * summary["crossbar_area_ratio"].get<double>(), final_report["ranks"].dump(),
             a.out);
}

}  // namespace

void register_clip(CLI::App& app) {
  auto a = std::make_shared<ClipArgs>();
  auto* cmd = app.add_subcommand("clip", "Group Scissor rank clipping: factorise a trained network, then train "
                                         "while cutting every layer to the lowest rank within --eps. The solver is the "
                                         "authors' schedule stretched to --iters (LeNet lr x0.9 at 2/3, 4/5, 13/15, "
                                         "14/15, 29/30 of the run; ConvNet x0.1 at 1/2 and 4/5); the solver flags "
                                         "override it");
  cmd->add_option("--checkpoint", a->checkpoint, "the trained dense model.pt (from xbarcut train)")->required();
  cmd->add_option("--dataset", a->dataset, "mnist | fashion-mnist | cifar10 | cifar10-grey (default: the checkpoint's)");
  cmd->add_option("--data-dir", a->data_dir, "folder holding the datasets (else $XBARCUT_DATA)");
  cmd->add_option("--out", a->out, "output folder for model.pt, summary.json, ranks.png")->required();
  cmd->add_option("--eps", a->clip.eps, "largest relative approximation error allowed, in (0, 1)")->capture_default_str();
  cmd->add_option("--interval", a->clip.interval, "training iterations between rank checks (paper: 500 MNIST, 1000 CIFAR)")
      ->capture_default_str();
  cmd->add_option("--iters", a->iters, "training iterations (paper: 30000 LeNet, 200000 ConvNet)")->required();
  cmd->add_option("--lra", a->lra, "pca (the authors' default) | svd")->capture_default_str();
  cmd->add_flag("--centered", a->centred, "centre the rows before PCA (the paper's Algorithm 1; default uncentred)");
  a->solver.add_to(cmd, /*long_runs=*/false);
  a->solver.add_checkpoint_every(cmd);
  cmd->add_flag("--resume", a->resume,
                "continue an interrupted run (Ctrl-C, a crash) from DIR/checkpoint.pt: same command, same result as "
                "an unbroken run");
  cmd->add_option("--threads", a->threads, "CPU threads (default: all)");
  a->hw.add_to(cmd);
  cmd->callback([a] { run_clip(*a); });
}

}  // namespace xbarcut::cli
