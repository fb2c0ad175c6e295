// Every setting of the TraNNsformer loop, with the authors' defaults (MATLAB code, MNIST runs) where they
// exist and ours, named as such, where they do not.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/solver_options.hpp"

namespace xbarcut::methods {

struct TrannsformerOptions {
  int64_t xbar = 64;                  // X: crossbars are X x X (authors: 64)
  double cluster_start = 0.2;         // share of epochs after which clustering starts (authors: 0.2)
  double cluster_prune_start = 0.8;   // share of epochs after which clusters are pruned (authors: 0.8)
  double quality_max = 0.7;           // cluster density threshold at cluster_start (authors: 0.7) ...
  double quality_min = 0.3;           // ... lowered linearly to this at cluster_prune_start (authors: 0.3)
  // Magnitude threshold: after every epoch whose training error fell it rises by 1 / (threshold_ramp x
  // epochs) of its top value, the |w| below which a prune_max share of the layer's initial weights lies
  // (ours: the authors add a fixed 0.0005 to raw weights, which only fits their weight scale; a quantile
  // fits any scale and distribution). The default ramp ends when clustering starts, so clusters form on
  // an already sparse map.
  double prune_max = 0.9;
  double threshold_ramp = 0.2;
  double classifier_threshold_factor = 1.0;  // the authors prune the last layer 5x faster; 1 = same
  double cluster_prune_step = 0.01;  // per epoch from cluster_prune_start: clusters scoring below
                                     // this factor x the best score are deleted (authors: 0.01)
  bool prune_residual = true;        // from cluster_prune_start, synapses outside clusters are deleted
  double size_factor = 2.0;          // split clusters until inputs + outputs <= size_factor * X
  bool one_crossbar = true;          // ours: and until inputs <= X and outputs <= X
  int64_t min_synapses = 0;          // ours: smallest cluster worth a crossbar (0 = X) ...
  double min_utilisation = 0.2;      // ... and (ours) it must fill this share of its X x X cross-points:
                                     // every cluster costs a whole crossbar, so many small dense blocks
                                     // would cost more area than the original layer
  uint64_t seed = 1;                 // k-means seeding
  int64_t error_samples = 10000;     // training images the training error is measured on
  std::vector<std::string> layers;   // layers to transform; empty = every hidden fully connected layer

  // The retraining run of run_trannsformer (not written by to_json): its solver (max_iter is set from epochs), its
  // length in epochs (one prune / cluster step per epoch), and whether to test the input network first.
  train::SolverOptions solver;
  int64_t epochs = 10;
  bool measure_baseline = true;
};

// Throws xbarcut::Error on a setting outside its range, before any work.
void validate(const TrannsformerOptions& o);
nlohmann::json to_json(const TrannsformerOptions& o);

}  // namespace xbarcut::methods
