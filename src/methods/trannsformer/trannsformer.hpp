// The TraNNsformer loop (Ankit et al., ICCAD 2017) as an end-of-epoch step on a masked network: prune
// by magnitude, cluster each layer's connectivity into crossbar-sized dense blocks, let synapses inside
// kept clusters survive, delete weak clusters and what lies outside late. The trainer retrains between steps.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/bipartite_clustering.hpp"
#include "methods/trannsformer/trannsformer_options.hpp"
#include "nn/net.hpp"

namespace xbarcut::methods {

class Trannsformer {
 public:
  // `net` gets masks on the transformed layers. `epochs` is the length of the whole run.
  Trannsformer(nn::Net net, TrannsformerOptions options, int64_t epochs);

  // After epoch `epoch` (1-based) with the error on the training slice; updates masks and clusters.
  // Call it for epochs 1 .. epochs-1 so that the last epoch retrains what the last step left.
  void end_of_epoch(int64_t epoch, double training_error);

  const std::vector<std::string>& layers() const { return names_; }
  const std::vector<hw::Cluster>& clusters(const std::string& layer) const;
  // Share of the top threshold reached, 0 .. 1.
  double threshold_level() const { return level_; }
  // One entry per step: epoch, phase, threshold, quality, per-layer sparsity and clusters, seconds.
  const nlohmann::json& history() const { return history_; }
  double clustering_seconds() const { return cluster_seconds_; }

 private:
  struct LayerState {
    std::string name;
    double top = 0;  // the highest magnitude threshold: the prune_max quantile of the initial |w|
    bool classifier = false;
    std::vector<hw::Cluster> clusters;
  };

  nn::Net net_;
  TrannsformerOptions o_;
  int64_t epochs_;
  std::vector<std::string> names_;
  std::vector<LayerState> state_;
  double level_ = 0;  // share of each layer's top threshold
  double prev_error_ = 1.0;
  double cluster_seconds_ = 0;
  nlohmann::json history_ = nlohmann::json::array();
};

// Epoch (1-based) at which a phase starting at `share` of the run begins (at least 1).
int64_t phase_epoch(double share, int64_t epochs);

// Rise of the threshold level per improving epoch: 1 (the top) after ramp x epochs of them.
double threshold_step(double ramp, int64_t epochs);

// The clustering settings of one step for X x X crossbars at the given quality threshold.
hw::ClusteringOptions clustering_options(const TrannsformerOptions& o, int64_t xbar, double quality);

// The union of the clusters' blocks.
hw::ConnectivityMask cluster_blocks(const std::vector<hw::Cluster>& clusters, int64_t rows, int64_t cols);

}  // namespace xbarcut::methods
