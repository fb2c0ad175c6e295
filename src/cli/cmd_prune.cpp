// `xbarcut prune`: magnitude pruning with masked retraining (methods::run_magnitude_pruning), the "pruned network"
// TraNNsformer is compared with. Writes DIR/model.pt (masks inside) and DIR/summary.json.
#include <fmt/core.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/flag_table.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/retrain_flags.hpp"
#include "methods/magnitude_pruning/run_magnitude_pruning.hpp"
#include "methods/trannsformer/trannsformer.hpp"
#include "common/output_folder.hpp"

namespace xbarcut::cli {

namespace {

struct PruneArgs {
  RetrainFlags run;
  methods::MagnitudePruningOptions o;
  std::string xbar = "64x64";
};

void run_prune(PruneArgs a) {
  claim_output_folder(a.run.out);  // before any work: an unwritable or busy folder fails now
  auto& o = a.o;
  o.xbar = parse_square_crossbar(a.xbar);
  o.epochs = a.run.run.epochs;
  auto start = a.run.start([&](const train::SolverOptions& solver) {
    o.solver = solver;
    methods::validate(o);
  });
  o.solver = start.solver;
  o.measure_baseline = start.from_checkpoint;
  const auto r = methods::run_magnitude_pruning(o, start.base.ckpt.net, start.base.data);

  train::write_model(a.run.out, start.base.ckpt.net, start.base.data.input, r.iters,
                     {{"command", "prune"}, {"model", start.base.model}, {"dataset", start.base.dataset},
                      {"accuracy", r.accuracy}});
  auto summary = methods::to_json(r, o);
  summary.update({{"command", command_line()}, {"model", start.base.model}, {"dataset", start.base.dataset},
                  {"train_images", start.base.data.train.size()}});
  train::write_summary(a.run.out, summary);
  fmt::print("test accuracy {:.4f} at sparsity {:.4f}; wrote {}/model.pt and {}/summary.json\n", r.accuracy,
             r.sparsity, a.run.out, a.run.out);
}

}  // namespace

void register_prune(CLI::App& app) {
  auto a = std::make_shared<PruneArgs>();
  auto* cmd = app.add_subcommand("prune", "Magnitude pruning with masked retraining (TraNNsformer's pruned baseline). "
                                          "Writes DIR/model.pt and summary.json");
  a->run.add_to(cmd, false);
  auto& o = a->o;
  cmd->add_option("--sparsity", o.sparsity, "target share of deleted weights per layer, reached in --prune-steps steps");
  cmd->add_option("--threshold-schedule", o.threshold_schedule,
                  "thresholds in weight standard deviations, one per step, e.g. 0.5,1,1.5")
      ->delimiter(',');
  cmd->add_option("--prune-max", o.prune_max,
                  "default mode: after each epoch whose training error fell, the threshold rises towards the |w| "
                  "below which this share of each layer's initial weights lies (default 0.9, as xbarcut trannsform)");
  cmd->add_option("--threshold-ramp", o.threshold_ramp, "share of epochs over which it reaches its top")
      ->capture_default_str();
  cmd->add_option("--prune-steps", o.prune_steps, "pruning steps for --sparsity, evenly spaced; the last segment only "
                                                  "retrains")
      ->capture_default_str();
  cmd->add_option("--layers", o.layers, "layers to prune (default: all)")->delimiter(',');
  add_table_flag(cmd, "--xbar", a->xbar);
  cmd->callback([a] { run_prune(*a); });
}

}  // namespace xbarcut::cli
