// `xbarcut prune`: magnitude pruning with masked retraining, the "pruned network" TraNNsformer is
// compared with. Writes DIR/model.pt (masks inside) and DIR/summary.json.
#include <filesystem>
#include <sstream>

#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/retrain_support.hpp"
#include "common/error.hpp"
#include "hw/cluster_mapping.hpp"
#include "methods/magnitude_pruning/magnitude_pruning.hpp"
#include "methods/trannsformer/crossbar_comparison.hpp"
#include "methods/trannsformer/trannsformer.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"

namespace xbarcut::cli {

namespace {

struct PruneArgs {
  RetrainFlags run;
  double sparsity = -1;
  std::vector<double> schedule;
  double prune_max = -1;
  double threshold_ramp = 0.2;
  int64_t steps = 3;
  int64_t xbar = 64;
  std::vector<std::string> layers;
};

// A pruning step at `iter`: reach `sparsity`, or keep |w| >= threshold_std x the layer's weight std, or
// (adaptive) keep |w| >= level x the layer's top threshold.
struct Step {
  int64_t iter = 0;
  double sparsity = -1, threshold_std = -1, level = -1;
};

void run_prune(const PruneArgs& a) {
  const int modes = (a.sparsity >= 0) + !a.schedule.empty() + (a.prune_max >= 0);
  if (modes > 1) throw Error("give one of --sparsity, --threshold-schedule or --prune-max");
  if (a.prune_max >= 1 || (a.prune_max < 0 && a.prune_max != -1)) throw Error("--prune-max must be in [0, 1), e.g. 0.9");
  if (a.sparsity >= 1 || (a.sparsity < 0 && a.sparsity != -1)) throw Error("--sparsity must be in [0, 1), e.g. 0.9");
  for (double t : a.schedule)
    if (!(t >= 0)) throw Error("--threshold-schedule values are weight standard deviations, 0 or more");
  if (!(a.threshold_ramp > 0 && a.threshold_ramp <= 1)) throw Error("--threshold-ramp must be in (0, 1]");
  if (a.steps < 1) throw Error("--prune-steps must be at least 1");
  if (a.xbar < 2) throw Error("--xbar must be at least 2");
  const bool adaptive = modes == 0 || a.prune_max >= 0;
  const double prune_max = a.prune_max >= 0 ? a.prune_max : 0.9;
  if (adaptive && a.run.epochs <= 0)
    throw Error("the adaptive threshold (--prune-max, the default) rises per epoch: give --epochs");
  a.run.validate();

  RetrainSetup s = prepare_retraining(a.run);
  nn::Net net = s.net;
  std::vector<std::string> names = a.layers;
  if (names.empty())
    for (const auto& l : net->weight_layers()) names.push_back(l->spec().name);
  for (const auto& n : names) net->layer(n);  // throws for an unknown layer
  const double baseline = s.from_checkpoint ? train::evaluate(net, s.data.test) : -1.0;
  methods::ensure_masks(net);
  std::map<std::string, double> sigma, top;
  for (const auto& n : names) {
    sigma[n] = methods::weight_std(net->layer(n));
    top[n] = methods::sparsity_threshold(net->layer(n), prune_max);
  }

  const int64_t n_iter = s.solver.max_iter;
  std::vector<Step> steps;
  if (!adaptive) {
    const int64_t k = a.schedule.empty() ? a.steps : static_cast<int64_t>(a.schedule.size());
    for (int64_t i = 0; i < k; ++i) {
      Step st;
      st.iter = i * n_iter / (k + 1);
      if (a.schedule.empty())
        st.sparsity = a.sparsity * static_cast<double>(i + 1) / static_cast<double>(k);
      else
        st.threshold_std = a.schedule[static_cast<size_t>(i)];
      steps.push_back(st);
    }
  }
  auto apply = [&](const Step& st) {
    for (const auto& n : names) {
      auto layer = net->layer(n);
      const double t = st.sparsity >= 0 ? methods::sparsity_threshold(layer, st.sparsity)
                       : st.level >= 0  ? st.level * top[n]
                                        : st.threshold_std * sigma[n];
      methods::set_mask(layer, methods::magnitude_mask(layer, t));
    }
    fmt::print(stderr, "prune at iteration {}: sparsity {:.4f}\n", st.iter, methods::sparsity(net, names));
  };
  double level = 0, prev_error = 1.0;
  nlohmann::json history = nlohmann::json::array();
  train::TrainHooks hooks;
  hooks.after_step = [&](int64_t iter) {
    const int64_t done = iter + 1;
    if (adaptive) {
      if (done % s.iters_per_epoch != 0 || done >= n_iter) return;
      const double err = methods::training_error(net, s.data.train, 10000);
      if (err < prev_error)
        level = std::min(1.0, level + methods::threshold_step(a.threshold_ramp, static_cast<int64_t>(a.run.epochs)));
      prev_error = err;
      apply(Step{done, -1, -1, level});
      history.push_back({{"iter", done}, {"training_error", err}, {"threshold_level", level},
                         {"sparsity", methods::sparsity(net, names)}});
      return;
    }
    for (const Step& st : steps)
      if (st.iter == done) {
        apply(st);
        history.push_back({{"iter", done}, {"sparsity", methods::sparsity(net, names)}});
      }
  };
  if (!steps.empty() && steps.front().iter == 0) {
    apply(steps.front());
    history.push_back({{"iter", 0}, {"sparsity", methods::sparsity(net, names)}});
  }
  const std::string dir = a.run.out;
  // No checkpoints: the pruning schedule's state (threshold level, error history) is not saved, so a checkpoint
  // could not be resumed; Ctrl-C says the run starts over.
  train::Trainer trainer(net, s.solver, s.data.train, s.data.test, s.data.input, "", hooks);
  fmt::print(stderr, "pruning {} on {}: {} iterations of batch {}\n", s.model, a.run.dataset, n_iter, s.solver.batch);
  const auto result = trainer.run();

  save_model(dir, s, "prune", a.run.dataset, result);

  nlohmann::json layers = nlohmann::json::array(), sweep = nlohmann::json::array();
  for (const auto& l : net->weight_layers())
    layers.push_back({{"name", l->spec().name}, {"sparsity", methods::sparsity(net, {l->spec().name})}});
  hw::HardwareOptions hw;
  for (int64_t x : methods::sweep_sizes(a.xbar)) {
    std::vector<hw::LayerMapping> orig, pruned;
    for (const auto& l : net->weight_layers()) {
      const auto mask = methods::connectivity(l);
      hw::ConnectivityMask full(mask.rows, mask.cols);
      std::fill(full.bits.begin(), full.bits.end(), 1);
      orig.push_back(hw::map_compacted(l->spec().name, full, x, hw));
      pruned.push_back(hw::map_compacted(l->spec().name, mask, x, hw));
    }
    const auto o = hw::total(orig), p = hw::total(pruned);
    sweep.push_back({{"xbar", x}, {"crossbars", p.crossbars}, {"original_crossbars", o.crossbars},
                     {"area_ratio_vs_original", p.area_f2 / o.area_f2},
                     {"energy_ratio_vs_original", p.energy_pj / o.energy_pj}, {"utilisation", p.utilisation}});
  }
  nlohmann::json summary{{"command", command_line()},
                         {"model", s.model},
                         {"dataset", a.run.dataset},
                         {"accuracy", result.accuracy},
                         {"baseline_accuracy", baseline >= 0 ? nlohmann::json(baseline) : nlohmann::json(nullptr)},
                         {"sparsity", methods::sparsity(net, names)},
                         {"layers", layers},
                         {"mode", adaptive ? "adaptive" : a.schedule.empty() ? "sparsity" : "threshold-schedule"},
                         {"prune_history", history},
                         {"crossbars", sweep},
                         {"iters", result.iters},
                         {"train_images", s.data.train.size()},
                         {"seconds", result.seconds},
                         {"solver", train::to_json(s.solver)},
                         {"machine", machine_info()}};
  write_json((std::filesystem::path(dir) / "summary.json").string(), summary);
  fmt::print("test accuracy {:.4f} at sparsity {:.4f}; wrote {}/model.pt and {}/summary.json\n", result.accuracy,
             methods::sparsity(net, names), dir, dir);
}

}  // namespace

void register_prune(CLI::App& app) {
  auto a = std::make_shared<PruneArgs>();
  auto* cmd = app.add_subcommand("prune", "Magnitude pruning with masked retraining (TraNNsformer's pruned baseline)");
  a->run.add_to(cmd, false);
  cmd->add_option("--sparsity", a->sparsity, "target share of deleted weights per layer, reached in --prune-steps steps");
  cmd->add_option("--threshold-schedule", a->schedule,
                  "thresholds in weight standard deviations, one per step, e.g. 0.5,1,1.5")
      ->delimiter(',');
  cmd->add_option("--prune-max", a->prune_max,
                  "default mode: after each epoch whose training error fell, the threshold rises towards the |w| "
                  "below which this share of each layer's initial weights lies (default 0.9, as xbarcut trannsform)");
  cmd->add_option("--threshold-ramp", a->threshold_ramp, "share of epochs over which it reaches its top")
      ->capture_default_str();
  cmd->add_option("--prune-steps", a->steps, "pruning steps for --sparsity, evenly spaced; the last segment only retrains")
      ->capture_default_str();
  cmd->add_option("--layers", a->layers, "layers to prune (default: all)")->delimiter(',');
  cmd->add_option("--xbar", a->xbar, "crossbar size X for the summary (X x X; 16, 32, 64, 128 are always listed)")
      ->capture_default_str();
  cmd->callback([a] { run_prune(*a); });
}

}  // namespace xbarcut::cli
