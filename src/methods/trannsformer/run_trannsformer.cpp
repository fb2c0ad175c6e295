#include "methods/trannsformer/run_trannsformer.hpp"

#include <cmath>
#include <filesystem>

#include <fmt/core.h>

#include "common/error.hpp"
#include "methods/collapse_guard.hpp"
#include "methods/magnitude_pruning/magnitude_pruning.hpp"
#include "methods/trannsformer/crossbar_comparison.hpp"
#include "methods/trannsformer/trannsformer.hpp"
#include "report/cluster_picture.hpp"
#include "train/trainer.hpp"

namespace xbarcut::methods {

namespace {

// The clusters of the run for options.xbar. Other sweep sizes were not trained; for them the run's clusters tiled
// onto X x X crossbars and the final connectivity re-clustered offline at the final quality threshold are both
// mapped, and the one with the smaller area is reported (named in "sweep_mapping").
void compare(const TrannsformerOptions& o, const nn::Net& net, const nn::Net* pruned, TrannsformerResult& r) {
  const hw::HardwareOptions hw;
  r.sweep = nlohmann::json::array();
  for (int64_t x : sweep_sizes(o.xbar)) {
    auto cmp = compare_on_crossbars(net, pruned, r.clusters, x, hw);
    std::string how = x == o.xbar ? "trained" : "run clusters tiled";
    if (x != o.xbar) {
      std::map<std::string, std::vector<hw::Cluster>> clusters;
      const auto co = clustering_options(o, x, o.quality_min);
      for (const auto& name : r.layers)
        clusters[name] = hw::size_constrained_clusters(connectivity(net->layer(name)), co);
      auto re = compare_on_crossbars(net, pruned, clusters, x, hw);
      if (re.transformed_total.area_f2 < cmp.transformed_total.area_f2) {
        cmp = std::move(re);
        how = "re-clustered offline";
      }
    }
    auto j = to_json(cmp);
    j["sweep_mapping"] = how;
    if (x == o.xbar) r.mapping = j;
    r.sweep.push_back(j);
  }
}

}  // namespace

TrannsformerResult run_trannsformer(const TrannsformerOptions& o, nn::Net net, const train::Data& data,
                                    const nn::Net* pruned) {
  validate(o);
  if (pruned && (*pruned)->spec().layers.size() != net->spec().layers.size())
    throw Error("the pruned reference is another architecture than the transformed network");
  TrannsformerResult r;
  if (o.measure_baseline) r.baseline_accuracy = train::evaluate(net, data.test);
  const int64_t iters_per_epoch = std::max<int64_t>(1, (data.train.size() + o.solver.batch - 1) / o.solver.batch);
  auto solver = o.solver;
  solver.max_iter = o.epochs * iters_per_epoch;
  solver.checkpoint_every = 0;
  Trannsformer tf(net, o, o.epochs);

  train::TrainHooks hooks;
  hooks.after_step = [&](int64_t iter) {
    const int64_t done = iter + 1;
    if (done % iters_per_epoch != 0 || done >= solver.max_iter) return;
    tf.end_of_epoch(done / iters_per_epoch, training_error(net, data.train, o.error_samples));
  };
  // No checkpoints: the clustering state is not saved, so a checkpoint could not be resumed; Ctrl-C says the run
  // starts over.
  train::Trainer trainer(net, solver, data.train, data.test, data.input, "", hooks);
  fmt::print(stderr, "trannsforming {} on {}: {} epochs ({} iterations of batch {}), {}x{} crossbars\n",
             net->spec().name, data.name, o.epochs, solver.max_iter, solver.batch, o.xbar, o.xbar);
  const auto trained = trainer.run();
  r.accuracy = trained.accuracy;
  refuse_collapse(net, r.accuracy, r.baseline_accuracy, data.classes, "trannsform",
                  "Start from a trained network (--checkpoint), prune less (--prune-max) or train longer (--epochs)");
  r.iters = trained.iters;
  r.seconds = trained.seconds;
  r.layers = tf.layers();
  for (const auto& name : tf.layers()) r.clusters[name] = tf.clusters(name);
  r.sparsity = sparsity(net, tf.layers());
  r.history = tf.history();
  r.clustering_seconds = tf.clustering_seconds();
  if (pruned) {
    nn::Net reference = *pruned;
    r.pruned_accuracy = train::evaluate(reference, data.test);
  }
  compare(o, net, pruned, r);
  return r;
}

nlohmann::json to_json(const TrannsformerResult& r, const TrannsformerOptions& o) {
  auto nullable = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {{"xbar", o.xbar},
          {"accuracy", r.accuracy},
          {"baseline_accuracy", nullable(r.baseline_accuracy)},
          {"pruned_accuracy", nullable(r.pruned_accuracy)},
          {"area_ratio_vs_original", r.mapping["area_ratio_vs_original"]},
          {"energy_ratio_vs_original", r.mapping["energy_ratio_vs_original"]},
          {"area_ratio_vs_pruned", r.mapping["area_ratio_vs_pruned"]},
          {"energy_ratio_vs_pruned", r.mapping["energy_ratio_vs_pruned"]},
          {"crossbars", r.mapping["trannsformer"]["crossbars"]},
          {"utilisation", r.mapping["trannsformer"]["utilisation"]},
          {"sparsity", r.sparsity},
          {"mapping", r.mapping},
          {"sweep", r.sweep},
          {"clustering_seconds", r.clustering_seconds},
          {"history", r.history},
          {"options", to_json(o)},
          {"iters", r.iters},
          {"seconds", r.seconds},
          {"solver", train::to_json(o.solver)}};
}

std::vector<std::string> write_trannsformer_figures(const TrannsformerResult& r, const nn::Net& net,
                                                    const std::string& dir) {
  std::vector<std::string> pictures;
  const auto folder = std::filesystem::path(dir) / "pictures";
  std::filesystem::create_directories(folder);
  for (const auto& name : r.layers) {
    const auto path = (folder / (name + "_clusters.png")).string();
    report::write_cluster_picture(connectivity(net->layer(name)), r.clusters.at(name), path);
    pictures.push_back(path);
  }
  return pictures;
}

}  // namespace xbarcut::methods
