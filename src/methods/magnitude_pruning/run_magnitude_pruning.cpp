#include "methods/magnitude_pruning/run_magnitude_pruning.hpp"

#include <fmt/core.h>

#include "common/error.hpp"
#include "hw/cluster_mapping.hpp"
#include "methods/collapse_guard.hpp"
#include "methods/magnitude_pruning/magnitude_pruning.hpp"
#include "methods/trannsformer/crossbar_comparison.hpp"
#include "methods/trannsformer/trannsformer.hpp"
#include "train/trainer.hpp"

namespace xbarcut::methods {

void validate(const MagnitudePruningOptions& o) {
  const int modes = (o.sparsity >= 0) + !o.threshold_schedule.empty() + (o.prune_max >= 0);
  if (modes > 1) throw Error("give one of `sparsity`, `threshold_schedule` or `prune_max`");
  if (o.prune_max >= 1 || (o.prune_max < 0 && o.prune_max != -1) || std::isnan(o.prune_max))
    throw Error(fmt::format("`prune_max` must be in [0, 1), e.g. 0.9 (got {})", o.prune_max));
  if (o.sparsity >= 1 || (o.sparsity < 0 && o.sparsity != -1) || std::isnan(o.sparsity))
    throw Error(fmt::format("`sparsity` must be in [0, 1), e.g. 0.9 (got {})", o.sparsity));
  for (double t : o.threshold_schedule)
    if (!(t >= 0)) throw Error("`threshold_schedule` values are weight standard deviations, 0 or more");
  if (!(o.threshold_ramp > 0 && o.threshold_ramp <= 1)) throw Error("`threshold_ramp` must be in (0, 1]");
  if (o.prune_steps < 1) throw Error("`prune_steps` must be at least 1");
  if (o.xbar < 2) throw Error("`xbar` must be at least 2");
  if (o.adaptive() && o.epochs <= 0)
    throw Error("the adaptive threshold (`prune_max`, the default) rises per epoch: give `epochs`");
  train::validate(o.solver);
}

namespace {

// A pruning step at `iter`: reach `sparsity`, or keep |w| >= threshold_std x the layer's weight std, or
// (adaptive) keep |w| >= level x the layer's top threshold.
struct Step {
  int64_t iter = 0;
  double sparsity = -1, threshold_std = -1, level = -1;
};

std::vector<Step> fixed_steps(const MagnitudePruningOptions& o) {
  std::vector<Step> steps;
  if (o.adaptive()) return steps;
  const int64_t n_iter = o.solver.max_iter;
  const int64_t k = o.threshold_schedule.empty() ? o.prune_steps : static_cast<int64_t>(o.threshold_schedule.size());
  for (int64_t i = 0; i < k; ++i) {
    Step st;
    st.iter = i * n_iter / (k + 1);
    if (o.threshold_schedule.empty())
      st.sparsity = o.sparsity * static_cast<double>(i + 1) / static_cast<double>(k);
    else
      st.threshold_std = o.threshold_schedule[static_cast<size_t>(i)];
    steps.push_back(st);
  }
  return steps;
}

// Crossbars of the pruned network (empty rows and columns dropped, tiled) against the dense one, per size.
nlohmann::json crossbar_sweep(const nn::Net& net, int64_t xbar) {
  nlohmann::json sweep = nlohmann::json::array();
  const hw::HardwareOptions hw;
  for (int64_t x : sweep_sizes(xbar)) {
    std::vector<hw::LayerMapping> orig, pruned;
    for (const auto& l : net->weight_layers()) {
      const auto mask = connectivity(l);
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
  return sweep;
}

}  // namespace

MagnitudePruningResult run_magnitude_pruning(const MagnitudePruningOptions& o, nn::Net net, const train::Data& data) {
  validate(o);
  MagnitudePruningResult r;
  std::vector<std::string> names = o.layers;
  if (names.empty())
    for (const auto& l : net->weight_layers()) names.push_back(l->spec().name);
  for (const auto& n : names) net->layer(n);  // throws for an unknown layer
  if (o.measure_baseline) r.baseline_accuracy = train::evaluate(net, data.test);
  ensure_masks(net);
  const double prune_max = o.prune_max >= 0 ? o.prune_max : 0.9;
  std::map<std::string, double> sigma, top;
  for (const auto& n : names) {
    sigma[n] = weight_std(net->layer(n));
    top[n] = sparsity_threshold(net->layer(n), prune_max);
  }
  const int64_t n_iter = o.solver.max_iter;
  const int64_t iters_per_epoch = std::max<int64_t>(1, (data.train.size() + o.solver.batch - 1) / o.solver.batch);
  const auto steps = fixed_steps(o);
  auto apply = [&](const Step& st) {
    for (const auto& n : names) {
      auto layer = net->layer(n);
      const double t = st.sparsity >= 0 ? sparsity_threshold(layer, st.sparsity)
                       : st.level >= 0  ? st.level * top[n]
                                        : st.threshold_std * sigma[n];
      set_mask(layer, magnitude_mask(layer, t));
    }
    fmt::print(stderr, "prune at iteration {}: sparsity {:.4f}\n", st.iter, sparsity(net, names));
  };
  double level = 0, prev_error = 1.0;
  r.history = nlohmann::json::array();
  train::TrainHooks hooks;
  hooks.after_step = [&](int64_t iter) {
    const int64_t done = iter + 1;
    if (o.adaptive()) {
      if (done % iters_per_epoch != 0 || done >= n_iter) return;
      const double err = training_error(net, data.train, 10000);
      if (err < prev_error)
        level = std::min(1.0, level + threshold_step(o.threshold_ramp, static_cast<int64_t>(o.epochs)));
      prev_error = err;
      apply(Step{done, -1, -1, level});
      r.history.push_back({{"iter", done}, {"training_error", err}, {"threshold_level", level},
                           {"sparsity", sparsity(net, names)}});
      return;
    }
    for (const Step& st : steps)
      if (st.iter == done) {
        apply(st);
        r.history.push_back({{"iter", done}, {"sparsity", sparsity(net, names)}});
      }
  };
  if (!steps.empty() && steps.front().iter == 0) {
    apply(steps.front());
    r.history.push_back({{"iter", 0}, {"sparsity", sparsity(net, names)}});
  }
  // No checkpoints: the schedule's state (threshold level, error history) is not saved, so a checkpoint could not
  // be resumed; Ctrl-C says the run starts over.
  auto solver = o.solver;
  solver.checkpoint_every = 0;
  train::Trainer trainer(net, solver, data.train, data.test, data.input, "", hooks);
  fmt::print(stderr, "pruning {} on {}: {} iterations of batch {}\n", net->spec().name, data.name, n_iter,
             o.solver.batch);
  const auto trained = trainer.run();
  r.accuracy = trained.accuracy;
  refuse_collapse(net, r.accuracy, r.baseline_accuracy, data.classes, "prune",
                  "Prune less (a lower --prune-max) or start from a trained network (--checkpoint)");
  r.iters = trained.iters;
  r.seconds = trained.seconds;
  r.sparsity = sparsity(net, names);
  r.layers = nlohmann::json::array();
  for (const auto& l : net->weight_layers())
    r.layers.push_back({{"name", l->spec().name}, {"sparsity", sparsity(net, {l->spec().name})}});
  r.crossbars = crossbar_sweep(net, o.xbar);
  return r;
}

nlohmann::json to_json(const MagnitudePruningResult& r, const MagnitudePruningOptions& o) {
  return {{"accuracy", r.accuracy},
          {"baseline_accuracy", r.baseline_accuracy ? nlohmann::json(*r.baseline_accuracy) : nlohmann::json(nullptr)},
          {"sparsity", r.sparsity},
          {"layers", r.layers},
          {"mode", o.adaptive() ? "adaptive" : o.threshold_schedule.empty() ? "sparsity" : "threshold-schedule"},
          {"prune_history", r.history},
          {"crossbars", r.crossbars},
          {"iters", r.iters},
          {"seconds", r.seconds},
          {"solver", train::to_json(o.solver)}};
}

}  // namespace xbarcut::methods
