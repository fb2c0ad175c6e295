// `xbarcut trannsform`: TraNNsformer's clustered pruning of the fully connected layers, then the
// crossbar comparison with the original and (given --pruned) the magnitude-pruned network.
#include <filesystem>

#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/retrain_support.hpp"
#include "common/error.hpp"
#include "methods/magnitude_pruning/magnitude_pruning.hpp"
#include "methods/trannsformer/crossbar_comparison.hpp"
#include "methods/trannsformer/trannsformer.hpp"
#include "report/cluster_picture.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"

namespace xbarcut::cli {

namespace {

struct TrannsformArgs {
  RetrainFlags run;
  methods::TrannsformerOptions o;
  std::string pruned;
  bool keep_residual = false;
  bool sum_rule = false;
  bool no_pictures = false;
};

void run_trannsform(TrannsformArgs a) {
  a.o.prune_residual = !a.keep_residual;
  a.o.one_crossbar = !a.sum_rule;
  methods::validate(a.o);
  if (a.run.epochs <= 0 || std::floor(a.run.epochs) != a.run.epochs || a.run.epochs < 2)
    throw Error("--epochs must be a whole number of at least 2 (TraNNsformer steps once per epoch)");
  if (!a.pruned.empty() && !std::filesystem::exists(a.pruned))
    throw Error("--pruned " + a.pruned + " does not exist; make one with xbarcut prune");
  a.run.validate();

  RetrainSetup s = prepare_retraining(a.run);
  a.o.seed = s.solver.seed;  // --seed also seeds the clustering
  nn::Net net = s.net;
  const auto epochs = static_cast<int64_t>(a.run.epochs);
  const double baseline = s.from_checkpoint ? train::evaluate(net, s.data.test) : -1.0;
  methods::Trannsformer tf(net, a.o, epochs);

  train::TrainHooks hooks;
  hooks.after_step = [&](int64_t iter) {
    const int64_t done = iter + 1;
    if (done % s.iters_per_epoch != 0 || done >= s.solver.max_iter) return;
    const int64_t epoch = done / s.iters_per_epoch;
    tf.end_of_epoch(epoch, methods::training_error(net, s.data.train, a.o.error_samples));
  };
  const std::filesystem::path dir(a.run.out);
  // No checkpoints: the clustering state is not saved, so a checkpoint could not be resumed; Ctrl-C says the run
  // starts over.
  train::Trainer trainer(net, s.solver, s.data.train, s.data.test, s.data.input, "", hooks);
  fmt::print(stderr, "trannsforming {} on {}: {} epochs ({} iterations of batch {}), {}x{} crossbars\n", s.model,
             a.run.dataset, epochs, s.solver.max_iter, s.solver.batch, a.o.xbar, a.o.xbar);
  const auto result = trainer.run();

  save_model(a.run.out, s, "trannsform", a.run.dataset, result);

  // The reference pruned network, if given.
  std::unique_ptr<train::Checkpoint> pruned;
  double pruned_accuracy = -1;
  if (!a.pruned.empty()) {
    pruned = std::make_unique<train::Checkpoint>(train::load_checkpoint(a.pruned));
    if (pruned->net->spec().layers.size() != net->spec().layers.size())
      throw Error("--pruned " + a.pruned + " is another architecture than the transformed network");
    pruned_accuracy = train::evaluate(pruned->net, s.data.test);
  }

  // Mapping: the clusters of the run for --xbar. Other sweep sizes were not trained; for them the run's
  // clusters tiled onto X x X crossbars and the final connectivity re-clustered offline at the final
  // quality threshold are both mapped, and the one with the smaller area is reported (named in
  // "sweep_mapping").
  const hw::HardwareOptions hw;
  const nn::Net* pruned_net = pruned ? &pruned->net : nullptr;
  nlohmann::json sweep = nlohmann::json::array(), chosen;
  std::map<std::string, std::vector<hw::Cluster>> run_clusters;
  for (const auto& name : tf.layers()) run_clusters[name] = tf.clusters(name);
  for (int64_t x : methods::sweep_sizes(a.o.xbar)) {
    auto cmp = methods::compare_on_crossbars(net, pruned_net, run_clusters, x, hw);
    std::string how = x == a.o.xbar ? "trained" : "run clusters tiled";
    if (x != a.o.xbar) {
      std::map<std::string, std::vector<hw::Cluster>> clusters;
      const auto co = methods::clustering_options(a.o, x, a.o.quality_min);
      for (const auto& name : tf.layers())
        clusters[name] = hw::size_constrained_clusters(methods::connectivity(net->layer(name)), co);
      auto re = methods::compare_on_crossbars(net, pruned_net, clusters, x, hw);
      if (re.transformed_total.area_f2 < cmp.transformed_total.area_f2) {
        cmp = std::move(re);
        how = "re-clustered offline";
      }
    }
    auto j = methods::to_json(cmp);
    j["sweep_mapping"] = how;
    if (x == a.o.xbar) chosen = j;
    sweep.push_back(j);
  }

  std::vector<std::string> pictures;
  if (!a.no_pictures) {
    std::filesystem::create_directories(dir / "pictures");
    for (const auto& name : tf.layers()) {
      const auto path = (dir / "pictures" / (name + "_clusters.png")).string();
      report::write_cluster_picture(methods::connectivity(net->layer(name)), tf.clusters(name), path);
      pictures.push_back(path);
    }
  }

  auto nullable = [](double v) { return v >= 0 ? nlohmann::json(v) : nlohmann::json(nullptr); };
  nlohmann::json summary{{"command", command_line()},
                         {"model", s.model},
                         {"dataset", a.run.dataset},
                         {"xbar", a.o.xbar},
                         {"accuracy", result.accuracy},
                         {"baseline_accuracy", nullable(baseline)},
                         {"pruned_accuracy", nullable(pruned_accuracy)},
                         {"area_ratio_vs_original", chosen["area_ratio_vs_original"]},
                         {"energy_ratio_vs_original", chosen["energy_ratio_vs_original"]},
                         {"area_ratio_vs_pruned", chosen["area_ratio_vs_pruned"]},
                         {"energy_ratio_vs_pruned", chosen["energy_ratio_vs_pruned"]},
                         {"crossbars", chosen["trannsformer"]["crossbars"]},
                         {"utilisation", chosen["trannsformer"]["utilisation"]},
                         {"sparsity", methods::sparsity(net, tf.layers())},
                         {"mapping", chosen},
                         {"sweep", sweep},
                         {"clustering_seconds", tf.clustering_seconds()},
                         {"history", tf.history()},
                         {"pictures", pictures},
                         {"options", methods::to_json(a.o)},
                         {"iters", result.iters},
                         {"train_images", s.data.train.size()},
                         {"seconds", result.seconds},
                         {"solver", train::to_json(s.solver)},
                         {"machine", machine_info()}};
  write_json((dir / "summary.json").string(), summary);
  fmt::print("test accuracy {:.4f} (baseline {}), {} crossbars of {}x{}: area {:.3f}x, energy {:.3f}x the original; "
             "wrote {}/model.pt and {}/summary.json\n",
             result.accuracy, baseline >= 0 ? fmt::format("{:.4f}", baseline) : "n/a",
             summary["crossbars"].get<int64_t>(), a.o.xbar, a.o.xbar, summary["area_ratio_vs_original"].get<double>(),
             summary["energy_ratio_vs_original"].get<double>(), a.run.out, a.run.out);
}

}  // namespace

void register_trannsform(CLI::App& app) {
  auto a = std::make_shared<TrannsformArgs>();
  auto* cmd = app.add_subcommand("trannsform", "TraNNsformer: prune and cluster fully connected layers onto X x X crossbars");
  a->run.add_to(cmd, true);
  auto& o = a->o;
  cmd->add_option("--xbar", o.xbar, "crossbar size X (X x X)")->capture_default_str();
  cmd->add_option("--pruned", a->pruned, "the magnitude-pruned reference (model.pt of xbarcut prune) for the ratios vs pruning");
  cmd->add_option("--cluster-start", o.cluster_start, "share of epochs before clustering starts")->capture_default_str();
  cmd->add_option("--cluster-prune-start", o.cluster_prune_start, "share of epochs before weak clusters and the residual are pruned")
      ->capture_default_str();
  cmd->add_option("--quality-max", o.quality_max, "cluster density threshold when clustering starts")->capture_default_str();
  cmd->add_option("--quality-min", o.quality_min, "... lowered linearly to this at --cluster-prune-start")->capture_default_str();
  cmd->add_option("--prune-max", o.prune_max,
                  "the highest magnitude threshold deletes this share of each layer's initial weights")
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
  cmd->add_option("--layers", o.layers, "layers to transform (default: every hidden fully connected layer; add the classifier by name)")->delimiter(',');
  cmd->add_flag("--no-pictures", a->no_pictures, "skip DIR/pictures/<layer>_clusters.png");
  cmd->callback([a] { run_trannsform(*a); });
}

}  // namespace xbarcut::cli
