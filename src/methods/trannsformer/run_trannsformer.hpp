// TraNNsformer as one call: retraining with the prune / cluster step after every epoch, then the crossbar
// comparison with the original and (given) the magnitude-pruned network over the paper's crossbar sizes.
// `xbarcut trannsform` calls run_trannsformer.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/bipartite_clustering.hpp"
#include "methods/trannsformer/trannsformer_options.hpp"
#include "nn/net.hpp"
#include "train/data.hpp"

namespace xbarcut::methods {

struct TrannsformerResult {
  std::optional<double> baseline_accuracy;  // the input network (none for a run from scratch)
  std::optional<double> pruned_accuracy;    // the magnitude-pruned reference, when given
  double accuracy = 0;
  int64_t iters = 0;
  double seconds = 0;
  double sparsity = 0;
  std::vector<std::string> layers;                               // the transformed layers
  std::map<std::string, std::vector<hw::Cluster>> clusters;      // per layer, as trained
  nlohmann::json mapping;   // the comparison at options.xbar
  nlohmann::json sweep;     // the comparison at every size of the sweep
  nlohmann::json history;   // one entry per epoch step
  double clustering_seconds = 0;
};

// Transforms and retrains `net` in place for options.epochs epochs. `pruned` (may be null) is the
// magnitude-pruned reference of the same architecture.
TrannsformerResult run_trannsformer(const TrannsformerOptions& options, nn::Net net, const train::Data& data,
                                    const nn::Net* pruned = nullptr);

// summary.json fields: accuracies, area and energy ratios, crossbars, utilisation, mapping, sweep, history ...
nlohmann::json to_json(const TrannsformerResult& result, const TrannsformerOptions& options);

// DIR/pictures/<layer>_clusters.png: each transformed layer's connectivity with its clusters. Returns the paths.
std::vector<std::string> write_trannsformer_figures(const TrannsformerResult& result, const nn::Net& net,
                                                    const std::string& dir);

}  // namespace xbarcut::methods
