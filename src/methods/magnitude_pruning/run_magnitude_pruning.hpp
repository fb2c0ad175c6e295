// Magnitude pruning with masked retraining as one call: the "pruned network" TraNNsformer is compared with.
// Three schedules: a target sparsity reached in even steps, thresholds in weight standard deviations, or (the
// default) a threshold that rises after every epoch whose training error fell. `xbarcut prune` calls it.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/net.hpp"
#include "train/data.hpp"
#include "train/solver_options.hpp"

namespace xbarcut::methods {

struct MagnitudePruningOptions {
  double sparsity = -1;                       // >= 0: reach this share of deleted weights in `steps` steps
  std::vector<double> threshold_schedule;     // or: one threshold per step, in weight standard deviations
  double prune_max = -1;                      // or (default, 0.9): the adaptive threshold's top quantile
  double threshold_ramp = 0.2;                // share of epochs over which the adaptive threshold reaches its top
  int64_t prune_steps = 3;                    // steps of the sparsity mode, evenly spaced
  std::vector<std::string> layers;            // layers to prune; empty = every weight layer
  int64_t xbar = 64;                          // crossbar size X of the summary's sweep (16, 32, 64, 128 always)
  train::SolverOptions solver;                // the retraining run (max_iter = its length)
  double epochs = 0;                          // the run's length in epochs: the adaptive threshold needs it
  bool measure_baseline = true;               // test the input network first (false for a run from scratch)

  bool adaptive() const { return sparsity < 0 && threshold_schedule.empty(); }
};

// Throws a one-line xbarcut::Error: more than one schedule, values out of range, adaptive without epochs.
void validate(const MagnitudePruningOptions& options);

struct MagnitudePruningResult {
  std::optional<double> baseline_accuracy;
  double accuracy = 0;
  double sparsity = 0;        // over the pruned layers
  int64_t iters = 0;
  double seconds = 0;
  nlohmann::json layers;      // [{"name", "sparsity"}]
  nlohmann::json history;     // one entry per pruning step
  nlohmann::json crossbars;   // per crossbar size: crossbars and area / energy against the original
};

// Prunes and retrains `net` in place.
MagnitudePruningResult run_magnitude_pruning(const MagnitudePruningOptions& options, nn::Net net,
                                             const train::Data& data);

// summary.json fields: accuracy, baseline_accuracy (null from scratch), sparsity, layers, mode, history ...
nlohmann::json to_json(const MagnitudePruningResult& result, const MagnitudePruningOptions& options);

}  // namespace xbarcut::methods
