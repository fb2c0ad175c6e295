#include "methods/crossbar_aware_pruning/run_crossbar_aware_pruning.hpp"

#include <fmt/core.h>

#include "common/error.hpp"
#include "methods/collapse_guard.hpp"
#include "methods/crossbar_aware_pruning/crossbar_pruner.hpp"
#include "methods/crossbar_aware_pruning/input_reorder.hpp"
#include "train/batch_norm_recalibration.hpp"
#include "train/trainer.hpp"

namespace xbarcut::methods::xbprune {

namespace {

train::SolverOptions base_solver(double lr, const std::string& policy) {
  train::SolverOptions o;
  o.base_lr = lr;
  o.lr_policy = policy;
  o.batch = 64;
  o.weight_decay = 5e-4;
  o.momentum = 0.9;
  o.test_interval = 0;
  o.checkpoint_every = 0;
  o.display = 100;
  return o;
}

// The phase's solver: its length, and the projections' seed for the batch order.
train::SolverOptions phase(train::SolverOptions s, int64_t iters, uint64_t seed) {
  s.max_iter = std::max<int64_t>(1, iters);
  s.seed = seed;
  return s;
}

nlohmann::json layers_json(const std::vector<LayerCrossbars>& counts, const CrossbarPruner& pruner) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& c : counts) {
    bool pruned = false;
    nlohmann::json budget = c.original;
    for (const auto& p : pruner.layers())
      if (p.name == c.name) {
        pruned = true;
        budget = pruner.options().budget == Budget::Layer ? nlohmann::json(p.budget) : nlohmann::json(nullptr);
      }
    layers.push_back({{"name", c.name}, {"rows", c.rows}, {"cols", c.cols}, {"pruned", pruned},
                      {"budget", budget}, {"crossbars_original", c.original}, {"crossbars", c.now},
                      {"nonzero_fraction", c.nonzero_fraction}});
  }
  return layers;
}

}  // namespace

train::SolverOptions default_lgd_solver() { return base_solver(0.01, "fixed"); }
train::SolverOptions default_finetune_solver() { return base_solver(0.001, "cosine"); }

CrossbarPruningOptions::CrossbarPruningOptions() : lgd(default_lgd_solver()), finetune(default_finetune_solver()) {
  hw.xbar = {256, 256};  // the paper's crossbar
  hw.policy = hw::TilingPolicy::Fixed;  // one array size, edge tiles padded
}

void validate(const CrossbarPruningOptions& o) {
  validate(o.prune);
  hw::validate(o.hw);
  if (o.iters < 0) throw Error(fmt::format("`iters` must not be negative (got {})", o.iters));
  if (o.finetune_iters < 0) throw Error(fmt::format("`finetune_iters` must not be negative (got {})", o.finetune_iters));
  if (o.bn_recalibrate_batches < 0)
    throw Error("`bn_recalibrate_batches` must not be negative (0 = off)");
  train::validate(phase(o.lgd, o.iters, o.prune.seed), "lgd.");
  train::validate(phase(o.finetune, o.finetune_iters, o.prune.seed), "finetune.");
}

CrossbarPruningResult run_crossbar_aware_pruning(const CrossbarPruningOptions& o, nn::Net net,
                                                 const train::Data& data) {
  validate(o);
  CrossbarPruner pruner(net, o.hw, o.prune);
  for (const auto& name : net->grouped_layers())
    fmt::print(stderr, "note: {} is a grouped convolution; {} leaves it dense\n", name, "crossbar-aware pruning");
  CrossbarPruningResult r;
  r.baseline_accuracy = train::evaluate(net, data.test);
  r.before = count_crossbars(net, o.hw, o.prune.grain);
  int64_t total = 0;
  for (const auto& l : r.before) total += l.original;
  fmt::print(stderr, "baseline accuracy {:.4f}; {} crossbars of {}x{}; pruning {} layers at {} grain, keep {:.3f} {}\n",
             r.baseline_accuracy, total, o.hw.xbar.rows, o.hw.xbar.cols, pruner.layers().size(),
             to_string(o.prune.grain), o.prune.keep_ratio,
             o.prune.budget == Budget::Layer ? std::string("of each layer")
                                             : fmt::format("of them together ({} crossbars)", pruner.budget_crossbars()));

  if (o.reorder) {
    std::vector<size_t> consumers;
    for (const auto& l : pruner.layers()) consumers.push_back(l.weight_index);
    for (const auto& c : reorder_input_channels(net, consumers))
      r.reorder_permutations.push_back({{"producer", c.producer}, {"consumer", c.consumer}, {"order", c.order}});
    fmt::print(stderr, "input feature maps reordered for {} layers; accuracy {:.4f} (unchanged function)\n",
               r.reorder_permutations.size(), train::evaluate(net, data.test));
  }

  // LGD: SGD on the dense weights with an RPP projection every T iterations.
  const int64_t every = o.prune.project_every;
  const int64_t projections = o.iters / every;
  r.lgd_accuracy = r.baseline_accuracy;
  if (o.iters > 0) {
    train::TrainHooks hooks;
    // The last projection is the hard one of finalize(): LGD's accuracy is measured just before it, so the
    // summary shows what the hard projection costs.
    hooks.after_step = [&](int64_t iter) {
      const int64_t k = (iter + 1) / every;
      if ((iter + 1) % every == 0 && k < projections) pruner.project(k, projections);
    };
    fmt::print(stderr, "LGD: {} iterations, {} relaxed projections (every {})\n", o.iters, projections, every);
    train::Trainer lgd(net, phase(o.lgd, o.iters, o.prune.seed), data.train, data.test, data.input, "", hooks);
    r.lgd_accuracy = lgd.run().accuracy;
  }
  pruner.finalize();
  // The bn running statistics still describe the unpruned weights; re-estimate them on training batches so the
  // accuracy after the projection (and the start of fine-tuning) reflects the pruned network.
  r.projected_accuracy_stale_bn = train::evaluate(net, data.test);
  r.projected_accuracy = r.projected_accuracy_stale_bn;
  if (o.bn_recalibrate_batches > 0) {
    train::RecalibrationOptions rc;
    rc.batches = o.bn_recalibrate_batches;
    rc.batch = o.lgd.batch;
    rc.seed = o.prune.seed + 1;
    rc.crop_pad = o.lgd.crop_pad;
    rc.flip = o.lgd.flip;
    r.recalibrated = train::recalibrate_batch_norms(net, data.train, rc);
    if (r.recalibrated > 0) r.projected_accuracy = train::evaluate(net, data.test);
  }
  fmt::print(stderr, "hard projection: accuracy {:.4f} before fine-tuning ({}; {:.4f} with the old bn statistics)\n",
             r.projected_accuracy,
             r.recalibrated > 0 ? fmt::format("{} batch norms recalibrated on {} batches", r.recalibrated,
                                              o.bn_recalibrate_batches)
                                : std::string("no bn recalibration"),
             r.projected_accuracy_stale_bn);
  r.accuracy = r.projected_accuracy;
  if (o.finetune_iters > 0) {
    fmt::print(stderr, "fine-tuning {} iterations with the masks fixed\n", o.finetune_iters);
    train::Trainer ft(net, phase(o.finetune, o.finetune_iters, o.prune.seed), data.train, data.test, data.input, "");
    r.accuracy = ft.run().accuracy;
  }
  refuse_collapse(net, r.accuracy, r.baseline_accuracy, data.classes, "xbprune",
                  "Keep more crossbars (a higher --keep-ratio), use smaller crossbars (--xbar) or fine-tune longer "
                  "(--finetune-iters)");
  r.after = count_crossbars(net, o.hw, o.prune.grain);
  r.budget_crossbars = pruner.budget_crossbars();
  r.crossbar_ratio = crossbar_ratio(r.after);
  r.layers = layers_json(r.after, pruner);
  return r;
}

nlohmann::json to_json(const CrossbarPruningResult& r, const CrossbarPruningOptions& o) {
  return {{"accuracy", r.accuracy},
          {"baseline_accuracy", r.baseline_accuracy},
          {"lgd_accuracy", r.lgd_accuracy},
          {"projected_accuracy", r.projected_accuracy},
          {"projected_accuracy_stale_bn", r.projected_accuracy_stale_bn},
          {"bn_recalibrate_batches", r.recalibrated > 0 ? o.bn_recalibrate_batches : 0},
          {"crossbar_ratio", r.crossbar_ratio},
          {"crossbar_reduction", 1.0 - r.crossbar_ratio},
          {"budget_crossbars", r.budget_crossbars},
          {"xbar", fmt::format("{}x{}", o.hw.xbar.rows, o.hw.xbar.cols)},
          {"policy", hw::to_string(o.hw.policy)},
          {"options", to_json(o.prune)},
          {"reorder", o.reorder},
          {"reorder_permutations", r.reorder_permutations},
          {"iters", o.iters},
          {"finetune_iters", o.finetune_iters},
          {"solver", {{"lgd", train::to_json(phase(o.lgd, o.iters, o.prune.seed))},
                      {"finetune", train::to_json(phase(o.finetune, o.finetune_iters, o.prune.seed))}}},
          {"layers", r.layers}};
}

}  // namespace xbarcut::methods::xbprune
