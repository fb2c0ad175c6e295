// Option parsing and validation for crossbar-aware pruning.
#include "methods/crossbar_aware_pruning/pruning_options.hpp"

#include "common/error.hpp"

namespace xbarcut::methods::xbprune {

Grain parse_grain(const std::string& text) {
  if (text == "crossbar") return Grain::Crossbar;
  if (text == "column") return Grain::Column;
  throw Error("bad `grain` '" + text + "': use crossbar (whole tiles) or column (tile columns, recombined)");
}

std::string to_string(Grain grain) { return grain == Grain::Crossbar ? "crossbar" : "column"; }

Budget parse_budget(const std::string& text) {
  if (text == "layer") return Budget::Layer;
  if (text == "global") return Budget::Global;
  throw Error("bad `budget` '" + text + "': use layer (each layer keeps its share) or global (the layers share one budget)");
}

std::string to_string(Budget budget) { return budget == Budget::Layer ? "layer" : "global"; }

void validate(const PruneOptions& o) {
  if (!(o.keep_ratio > 0 && o.keep_ratio <= 1)) throw Error("`prune.keep_ratio` must be in (0, 1], e.g. 0.3");
  if (o.project_every < 1) throw Error("`prune.project_every` must be at least 1");
  if (!(o.p_start >= 0 && o.p_start <= 1)) throw Error("`prune.p_start` must be in [0, 1]");
  if (!(o.ramp > 0 && o.ramp <= 1)) throw Error("`prune.ramp` must be in (0, 1], e.g. 0.5 (1 = the paper's schedule)");
  if (o.min_crossbars < 1) throw Error("`prune.min_crossbars` must be at least 1");
}

nlohmann::json to_json(const PruneOptions& o) {
  return {{"grain", to_string(o.grain)},         {"keep_ratio", o.keep_ratio},
          {"budget", to_string(o.budget)},        {"ramp", o.ramp},
          {"project_every", o.project_every},     {"p_start", o.p_start},
          {"min_crossbars", o.min_crossbars},     {"prune_classifier", o.prune_classifier},
          {"seed", o.seed}};
}

}  // namespace xbarcut::methods::xbprune
