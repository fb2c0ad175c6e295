// `xbarcut xbprune`: crossbar-aware pruning (methods::xbprune::run_crossbar_aware_pruning) of a trained checkpoint;
// writes DIR/model.pt and DIR/summary.json.
#include <fmt/core.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/flag_table.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/solver_flags.hpp"
#include "cli/value_checks.hpp"
#include "common/error.hpp"
#include "methods/crossbar_aware_pruning/crossbar_pruner.hpp"
#include "methods/crossbar_aware_pruning/run_crossbar_aware_pruning.hpp"
#include "train/run_files.hpp"
#include "common/output_folder.hpp"

namespace xbarcut::cli {

namespace {

namespace xp = methods::xbprune;

struct XbPruneArgs {
  std::string checkpoint, dataset, data_dir, out, grain = "crossbar", budget = "global", preset;
  bool budget_given = false, ramp_given = false;
  double finetune_lr = xp::default_finetune_solver().base_lr;
  int threads = 0;
  xp::CrossbarPruningOptions o;
  SolverFlags solver;  // both phases; --lr is the LGD phase's, --finetune-lr the fine-tuning phase's
  HardwareFlags hw;
};

void run_xbprune(XbPruneArgs a) {
  claim_output_folder(a.out);  // before any work: an unwritable or busy folder fails now
  auto& o = a.o;
  o.prune.grain = xp::parse_grain(a.grain);
  o.prune.budget = xp::parse_budget(a.budget);
  if (a.preset == "paper") {  // the paper's schedule; an explicit --budget / --ramp still wins
    if (!a.budget_given) o.prune.budget = xp::Budget::Layer;
    if (!a.ramp_given) o.prune.ramp = 1.0;
  } else if (!a.preset.empty()) {
    throw Error("bad --preset '" + a.preset + "': the one preset is `paper` (the paper's per-layer budget and ramp)");
  }
  o.hw = a.hw.options();
  o.lgd = xp::default_lgd_solver();
  a.solver.apply(o.lgd);
  o.finetune = o.lgd;
  o.finetune.lr_policy = xp::default_finetune_solver().lr_policy;
  o.finetune.base_lr = a.finetune_lr;
  o.prune.seed = o.lgd.seed;
  xp::validate(o);
  auto base = train::open_trained_network(a.checkpoint, a.dataset, a.data_dir, a.threads,
                                          // a factorised or too-small model is rejected before the data is read
                                          [&](const train::Checkpoint& c) { xp::CrossbarPruner(c.net, o.hw, o.prune); });
  const auto r = xp::run_crossbar_aware_pruning(o, base.ckpt.net, base.data);

  train::write_model(a.out, base.ckpt.net, base.data.input, o.iters + o.finetune_iters,
                     {{"command", "xbprune"}, {"model", base.ckpt.net->spec().name}, {"dataset", base.dataset},
                      {"accuracy", r.accuracy}, {"crossbar_ratio", r.crossbar_ratio}});
  auto summary = xp::to_json(r, o);
  summary.update({{"command", command_line()}, {"model", base.ckpt.net->spec().name}, {"dataset", base.dataset},
                  {"base_checkpoint", a.checkpoint}, {"xbar", a.hw.xbar}, {"policy", a.hw.policy}});
  train::write_summary(a.out, summary);
  fmt::print("accuracy {:.4f} (baseline {:.4f}); crossbars {:.1f} % of the original ({:.1f} % fewer); wrote "
             "{}/model.pt and {}/summary.json\n",
             r.accuracy, r.baseline_accuracy, 100 * r.crossbar_ratio, 100 * (1 - r.crossbar_ratio), a.out, a.out);
}

}  // namespace

void register_xbprune(CLI::App& app) {
  auto a = std::make_shared<XbPruneArgs>();
  a->hw.xbar = "256x256";  // the paper's crossbar
  a->hw.policy = "fixed";  // one array size, edge tiles padded
  auto* cmd = app.add_subcommand(
      "xbprune", "Crossbar-aware pruning: L0-constrained SGD (LGD, lr --lr fixed, default 0.01) with relaxant "
                 "probabilistic projection (crossbar or column grain), then masked fine-tuning (--finetune-lr with "
                 "cosine decay); batch 64, weight decay 5e-4 unless given. Writes DIR/model.pt and summary.json");
  add_trained_network_flags(cmd, a->checkpoint, a->dataset, a->data_dir, a->out);
  auto& o = a->o;
  cmd->add_option("--grain", a->grain, "crossbar (whole tiles) | column (tile columns, recombined)")->capture_default_str();
  cmd->add_option("--keep-ratio", o.prune.keep_ratio, "share of the pruned layers' crossbars kept")->capture_default_str();
  cmd->add_option("--budget", a->budget,
                  "layer (the paper: every pruned layer keeps --keep-ratio of its crossbars) | global (the layers "
                  "share one budget; crossbars compete by a layer-normalised norm)")
      ->capture_default_str();
  cmd->add_flag("--reorder", o.reorder, "reorder input feature maps by importance first (plain chains such as vgg8)");
  cmd->add_option("--iters", o.iters, "LGD iterations (SGD + relaxed projections)")
      ->capture_default_str()
      ->check(integer_in(0, kMaxIterations));
  cmd->add_option("--finetune-iters", o.finetune_iters, "masked fine-tuning iterations")
      ->capture_default_str()
      ->check(integer_in(0, kMaxIterations));
  cmd->add_option("--finetune-lr", a->finetune_lr, "fine-tuning learning rate (cosine decay)")->capture_default_str();
  cmd->add_option("--project-every", o.prune.project_every, "T: iterations between projections")->capture_default_str();
  cmd->add_option("--p-start", o.prune.p_start, "RPP: first zeroing probability (grows to 1)")->capture_default_str();
  cmd->add_option("--ramp", o.prune.ramp,
                  "share of the projections over which RPP tightens to the budget; the rest are hard (1 = the paper)")
      ->capture_default_str();
  cmd->add_option("--min-crossbars", o.prune.min_crossbars, "prune only layers with at least this many crossbars")
      ->capture_default_str();
  cmd->add_flag("--prune-classifier", o.prune.prune_classifier, "also prune the last layer");
  cmd->add_option("--bn-recalibrate-batches", o.bn_recalibrate_batches,
                  "after the hard projection, re-estimate bn statistics on N training batches (0 = off)")
      ->capture_default_str();
  a->solver.add_to(cmd, /*long_runs=*/false);
  a->solver.add_augmentation(cmd);
  add_table_flag(cmd, "--threads", a->threads);
  a->hw.add_to(cmd);
  cmd->add_option("--preset", a->preset,
                  "paper: the paper's settings (--budget layer --ramp 1); the defaults are our best measured ones");
  cmd->callback([a, cmd] {
    a->budget_given = cmd->count("--budget") > 0;
    a->ramp_given = cmd->count("--ramp") > 0;
    run_xbprune(*a);
  });
}

}  // namespace xbarcut::cli
