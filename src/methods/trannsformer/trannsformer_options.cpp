#include "methods/trannsformer/trannsformer_options.hpp"

#include "common/error.hpp"

namespace xbarcut::methods {

void validate(const TrannsformerOptions& o) {
  if (o.xbar < 2) throw Error("`xbar` must be at least 2 (got " + std::to_string(o.xbar) + "); the paper uses 64");
  if (!(o.cluster_start >= 0 && o.cluster_start <= o.cluster_prune_start && o.cluster_prune_start <= 1))
    throw Error("need 0 <= `cluster_start` <= `cluster_prune_start` <= 1 (defaults 0.2 and 0.8)");
  if (!(o.quality_min >= 0 && o.quality_min <= o.quality_max && o.quality_max < 1))
    throw Error("need 0 <= `quality_min` <= `quality_max` < 1 (defaults 0.3 and 0.7)");
  if (!(o.prune_max >= 0 && o.prune_max < 1)) throw Error("`prune_max` must be in [0, 1), e.g. 0.9");
  if (!(o.threshold_ramp > 0 && o.threshold_ramp <= 1)) throw Error("`threshold_ramp` must be in (0, 1]");
  if (!(o.classifier_threshold_factor >= 0)) throw Error("`classifier_threshold_factor` must be 0 or more");
  if (!(o.cluster_prune_step >= 0 && o.cluster_prune_step < 1)) throw Error("`cluster_prune_step` must be in [0, 1)");
  if (!(o.size_factor > 0)) throw Error("`size_factor` must be positive (paper: 2)");
  if (o.min_synapses < 0) throw Error("`min_synapses` must be 0 (= X) or more");
  if (!(o.min_utilisation >= 0 && o.min_utilisation <= 1)) throw Error("`min_utilisation` must be in [0, 1], e.g. 0.2");
  if (o.error_samples < 1) throw Error("`error_samples` must be at least 1");
  train::validate(o.solver);
}

nlohmann::json to_json(const TrannsformerOptions& o) {
  return {{"xbar", o.xbar},
          {"cluster_start", o.cluster_start},
          {"cluster_prune_start", o.cluster_prune_start},
          {"quality_max", o.quality_max},
          {"quality_min", o.quality_min},
          {"prune_max", o.prune_max},
          {"threshold_ramp", o.threshold_ramp},
          {"classifier_threshold_factor", o.classifier_threshold_factor},
          {"cluster_prune_step", o.cluster_prune_step},
          {"prune_residual", o.prune_residual},
          {"size_factor", o.size_factor},
          {"one_crossbar", o.one_crossbar},
          {"min_synapses", o.min_synapses},
          {"min_utilisation", o.min_utilisation},
          {"seed", o.seed},
          {"error_samples", o.error_samples},
          {"layers", o.layers}};
}

}  // namespace xbarcut::methods
