// `xbarcut clip`: Group Scissor's rank clipping (methods::run_rank_clipping). Writes DIR/model.pt,
// DIR/summary.json and DIR/ranks.png; DIR/checkpoint.pt while it runs.
#include <filesystem>

#include <fmt/core.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/flag_table.hpp"
#include "cli/hardware_flags.hpp"
#include "train/resume_point.hpp"
#include "cli/solver_flags.hpp"
#include "cli/value_checks.hpp"
#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "methods/rank_clipping/net_factorisation.hpp"
#include "methods/rank_clipping/run_rank_clipping.hpp"
#include "train/run_files.hpp"

namespace xbarcut::cli {

namespace {

struct ClipArgs {
  std::string checkpoint, dataset, data_dir, out, lra = "pca";
  bool centred = false, resume = false;
  methods::RankClippingOptions clip;
  int64_t iters = 0;
  SolverFlags solver;  // what the user typed; the rest is the authors' schedule stretched to --iters
  int threads = 0;
  HardwareFlags hw;
};

void run_clip(const ClipArgs& a) {
  claim_output_folder(a.out);  // before any work: an unwritable or busy folder fails now
  // Everything the user typed is checked before the data is read.
  auto o = a.clip;
  o.method = methods::parse_lra_method(a.lra, a.centred);
  o.hw = a.hw.options();
  methods::validate(o);
  if (a.iters < 1) throw Error("--iters must be at least 1");
  const auto ckpt_path = (std::filesystem::path(a.out) / "checkpoint.pt").string();
  std::optional<train::Checkpoint> resumed;
  // The solver and an interrupted run to resume are checked against the checkpoint before the data is read.
  auto check = [&](const train::Checkpoint& c) {
    methods::require_dense(c.net);
    o.solver = methods::authors_clipping_solver(c.info.value("model", c.net->spec().name), a.iters);
    a.solver.apply(o.solver);
    train::validate(o.solver);
    o.checkpoint_path = ckpt_path;
    o.checkpoint_info = {{"command", "clip"}, {"from", a.checkpoint}, {"dataset", train::dataset_of(c, a.dataset)},
                         {"settings", methods::resume_settings(o)}};
    resumed = train::resume_point(ckpt_path, a.resume, o.checkpoint_info);
    o.checkpoint_info["model"] = c.info.value("model", c.net->spec().name);
  };
  auto base = train::open_trained_network(a.checkpoint, a.dataset, a.data_dir, a.threads, check);
  std::filesystem::create_directories(a.out);
  const auto r = methods::run_rank_clipping(o, base.ckpt.net, base.data, resumed ? &*resumed : nullptr);

  train::write_model(a.out, r.net, base.data.input, r.iters,
                     {{"command", "clip"}, {"model", base.model}, {"dataset", base.dataset},
                      {"ranks", methods::layer_ranks(r.net)}, {"accuracy", r.accuracy}});
  std::filesystem::remove(ckpt_path);
  auto summary = methods::to_json(r);
  summary.update({{"command", command_line()}, {"model", base.model}, {"dataset", base.dataset},
                  {"base_checkpoint", a.checkpoint}, {"options", methods::to_json(o)}, {"xbar", a.hw.xbar},
                  {"policy", a.hw.policy}, {"solver", train::to_json(o.solver)}});
  train::write_summary(a.out, summary);
  methods::write_rank_clipping_figures(r, a.out);
  fmt::print("test accuracy {:.4f} (baseline {:.4f}), crossbar area {:.2f} % of the original; ranks {}\n"
             "wrote {}/model.pt, summary.json and ranks.png\n",
             r.accuracy, r.baseline_accuracy, 100.0 * summary["crossbar_area_ratio"].get<double>(),
             r.ranks_report["ranks"].dump(), a.out);
}

}  // namespace

void register_clip(CLI::App& app) {
  auto a = std::make_shared<ClipArgs>();
  auto* cmd = app.add_subcommand("clip", "Group Scissor rank clipping: factorise a trained network, then train "
                                         "while cutting every layer to the lowest rank within --eps. The solver is the "
                                         "authors' schedule stretched to --iters (LeNet lr x0.9 at 2/3, 4/5, 13/15, "
                                         "14/15, 29/30 of the run; ConvNet x0.1 at 1/2 and 4/5); the solver flags "
                                         "override it. Writes DIR/model.pt, summary.json, ranks.png");
  add_trained_network_flags(cmd, a->checkpoint, a->dataset, a->data_dir, a->out);
  cmd->add_option("--eps", a->clip.eps, "largest relative approximation error allowed, in (0, 1)")->capture_default_str();
  cmd->add_option("--interval", a->clip.interval, "training iterations between rank checks (paper: 500 MNIST, 1000 CIFAR)")
      ->capture_default_str();
  cmd->add_option("--iters", a->iters, "training iterations (paper: 30000 LeNet, 200000 ConvNet)")
      ->required()
      ->check(integer_in(1, kMaxIterations));
  cmd->add_option("--lra", a->lra, "pca (the authors' default) | svd")->capture_default_str();
  cmd->add_flag("--centered", a->centred, "centre the rows before PCA (the paper's Algorithm 1; default uncentred)");
  a->solver.add_to(cmd, /*long_runs=*/false);
  a->solver.add_augmentation(cmd);
  a->solver.add_checkpoint_every(cmd);
  add_table_switch(cmd, "--resume", a->resume);
  add_table_flag(cmd, "--threads", a->threads);
  a->hw.add_to(cmd);
  cmd->callback([a] { run_clip(*a); });
}

}  // namespace xbarcut::cli
