// Crossbar-aware pruning as one call (Liang et al., IEEE Access 2018): optional input feature-map reorder, LGD
// (SGD with a relaxant probabilistic projection every T iterations), the hard projection with batch-norm
// recalibration, then masked fine-tuning. `xbarcut xbprune` calls run_crossbar_aware_pruning.
#pragma once
#include <nlohmann/json.hpp>

#include "hw/network_cost.hpp"
#include "methods/crossbar_aware_pruning/crossbar_count.hpp"
#include "methods/crossbar_aware_pruning/pruning_options.hpp"
#include "nn/net.hpp"
#include "train/data.hpp"
#include "train/solver_options.hpp"

namespace xbarcut::methods::xbprune {

struct CrossbarPruningOptions {
  PruneOptions prune;             // grain, keep ratio, projection schedule, seed
  hw::HardwareOptions hw;         // the crossbar (default: the paper's 256x256, edge tiles padded)
  bool reorder = false;           // reorder input feature maps by importance first (plain chains)
  int64_t iters = 2000;           // LGD iterations
  int64_t finetune_iters = 2000;  // masked fine-tuning iterations
  train::SolverOptions lgd;       // LGD solver (max_iter is replaced by iters)
  train::SolverOptions finetune;  // fine-tuning solver (max_iter is replaced by finetune_iters)
  int64_t bn_recalibrate_batches = 100;  // after the hard projection; 0 = off

  CrossbarPruningOptions();       // the defaults above with the paper's crossbar and our solvers
};

// Our solvers: LGD at lr 0.01 fixed, fine-tuning at 0.001 with cosine decay; batch 64, weight decay 5e-4.
train::SolverOptions default_lgd_solver();
train::SolverOptions default_finetune_solver();

// Throws a one-line xbarcut::Error for settings out of range (prune options, iterations, solvers, bn batches).
void validate(const CrossbarPruningOptions& options);

struct CrossbarPruningResult {
  double baseline_accuracy = 0;
  double lgd_accuracy = 0;               // at the end of LGD, before the hard projection
  double projected_accuracy = 0;         // after the hard projection (batch norms recalibrated)
  double projected_accuracy_stale_bn = 0;
  int64_t recalibrated = 0;              // batch norms recalibrated
  double accuracy = 0;                   // after fine-tuning
  double crossbar_ratio = 1;             // crossbars after / before, every layer counted
  int64_t budget_crossbars = 0;          // crossbars the pruned layers may keep together (sum of the layers' s)
  std::vector<LayerCrossbars> before, after;
  nlohmann::json layers;                 // per layer: pruned, budget, crossbars before and after
  nlohmann::json reorder_permutations = nlohmann::json::array();
};

// Prunes `net` in place.
CrossbarPruningResult run_crossbar_aware_pruning(const CrossbarPruningOptions& options, nn::Net net,
                                                 const train::Data& data);

// summary.json fields of a run.
nlohmann::json to_json(const CrossbarPruningResult& result, const CrossbarPruningOptions& options);

}  // namespace xbarcut::methods::xbprune
