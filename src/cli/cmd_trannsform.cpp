// `xbarcut trannsform`: TraNNsformer's clustered pruning of the fully connected layers (methods::run_trannsformer),
// then the crossbar comparison with the original and (given --pruned) the magnitude-pruned network.
#include <cmath>
#include <filesystem>

#include <fmt/core.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/flag_table.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/retrain_flags.hpp"
#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "methods/trannsformer/run_trannsformer.hpp"

namespace xbarcut::cli {

namespace {

struct TrannsformArgs {
  RetrainFlags run;
  methods::TrannsformerOptions o;
  std::string pruned, xbar = "64x64";
  bool keep_residual = false, sum_rule = false, no_pictures = false;
};

void run_trannsform(TrannsformArgs a) {
  claim_output_folder(a.run.out);  // before any work: an unwritable or busy folder fails now
  auto& o = a.o;
  o.prune_residual = !a.keep_residual;
  o.one_crossbar = !a.sum_rule;
  o.xbar = parse_square_crossbar(a.xbar);
  methods::validate(o);
  const double epochs = a.run.run.epochs;
  if (a.run.run.iters > 0 || epochs <= 0 || std::floor(epochs) != epochs || epochs < 2)
    throw Error("give --epochs, a whole number of at least 2 (TraNNsformer steps once per epoch; --iters is not "
                "used by trannsform)");
  if (!a.pruned.empty() && !std::filesystem::exists(a.pruned))
    throw Error("--pruned " + a.pruned + " does not exist; make one with xbarcut prune");
  auto start = a.run.start({});
  o.solver = start.solver;
  o.epochs = static_cast<int64_t>(a.run.run.epochs);
  o.seed = start.solver.seed;  // --seed also seeds the clustering
  o.measure_baseline = start.from_checkpoint;
  std::optional<train::Checkpoint> pruned;
  if (!a.pruned.empty()) pruned = train::load_checkpoint(a.pruned);
  nn::Net net = start.base.ckpt.net;
  const auto r = methods::run_trannsformer(o, net, start.base.data, pruned ? &pruned->net : nullptr);

  train::write_model(a.run.out, net, start.base.data.input, r.iters,
                     {{"command", "trannsform"}, {"model", start.base.model}, {"dataset", start.base.dataset},
                      {"accuracy", r.accuracy}});
  auto summary = methods::to_json(r, o);
  const auto pictures = a.no_pictures ? std::vector<std::string>{}
                                      : methods::write_trannsformer_figures(r, net, a.run.out);
  summary.update({{"command", command_line()}, {"model", start.base.model}, {"dataset", start.base.dataset},
                  {"pictures", pictures}, {"train_images", start.base.data.train.size()},
                  // what the *_vs_original ratios divide by
                  {"original", std::string("the same layers, dense, on the same crossbars") +
                                   (r.baseline_accuracy ? "" : " (run from scratch: no accuracy baseline)")}});
  train::write_summary(a.run.out, summary);
  const std::string against = r.baseline_accuracy
                                  ? "the dense layers'"
                                  : fmt::format("the same {} dense (trained from scratch: no accuracy baseline; give "
                                                "--checkpoint of a trained network for one)",
                                                start.base.model);
  fmt::print("test accuracy {:.4f} (baseline {}), {} crossbars of {}x{}: area {:.3f}x, energy {:.3f}x {}; "
             "wrote {}/model.pt and {}/summary.json\n",
             r.accuracy, r.baseline_accuracy ? fmt::format("{:.4f}", *r.baseline_accuracy) : "n/a",
             summary["crossbars"].get<int64_t>(), o.xbar, o.xbar, summary["area_ratio_vs_original"].get<double>(),
             summary["energy_ratio_vs_original"].get<double>(), against, a.run.out, a.run.out);
}

}  // namespace

void register_trannsform(CLI::App& app) {
  auto a = std::make_shared<TrannsformArgs>();
  auto* cmd = app.add_subcommand("trannsform", "TraNNsformer: prune and cluster fully connected layers onto X x X "
                                               "crossbars. Writes DIR/model.pt, summary.json, pictures/");
  a->run.add_to(cmd, true);
  auto& o = a->o;
  add_table_flag(cmd, "--xbar", a->xbar);
  cmd->add_option("--pruned", a->pruned, "the magnitude-pruned reference (model.pt of xbarcut prune) for the ratios vs pruning");
  cmd->add_option("--cluster-start", o.cluster_start, "share of epochs before clustering starts")->capture_default_str();
  cmd->add_option("--cluster-prune-start", o.cluster_prune_start, "share of epochs before weak clusters and the residual are pruned")
      ->capture_default_str();
  cmd->add_option("--quality-max", o.quality_max, "cluster density threshold when clustering starts")->capture_default_str();
  cmd->add_option("--quality-min", o.quality_min, "... lowered linearly to this at --cluster-prune-start")->capture_default_str();
  cmd->add_option("--prune-max", o.prune_max, "the highest magnitude threshold deletes this share of each layer's "
                                              "initial weights")
      ->capture_default_str();
  cmd->add_option("--threshold-ramp", o.threshold_ramp,
                  "share of epochs over which the threshold rises to its top (while the training error falls)")
      ->capture_default_str();
  cmd->add_option("--classifier-threshold-factor", o.classifier_threshold_factor, "classifier threshold multiplier")
      ->capture_default_str();
  cmd->add_option("--cluster-prune-step", o.cluster_prune_step, "cluster score cut (x best) added per late epoch")
      ->capture_default_str();
  cmd->add_flag("--keep-residual", a->keep_residual, "keep magnitude-surviving synapses outside clusters (tiled crossbars)");
  cmd->add_option("--size-factor", o.size_factor, "split clusters until inputs + outputs <= this x X")->capture_default_str();
  cmd->add_flag("--sum-rule", a->sum_rule, "only the paper's inputs + outputs rule (a cluster may exceed X on one side)");
  cmd->add_option("--min-synapses", o.min_synapses, "smallest cluster worth a crossbar (0 = X)")->capture_default_str();
  cmd->add_option("--min-utilisation", o.min_utilisation, "a cluster must fill this share of its crossbar")
      ->capture_default_str();
  cmd->add_option("--error-samples", o.error_samples, "training images the training error is measured on")
      ->capture_default_str();
  cmd->add_option("--layers", o.layers, "layers to transform (default: every hidden fully connected layer; add the "
                                        "classifier by name)")->delimiter(',');
  cmd->add_flag("--no-pictures", a->no_pictures, "skip DIR/pictures/<layer>_clusters.png");
  cmd->callback([a] { run_trannsform(*a); });
}

}  // namespace xbarcut::cli
