// Every setting of crossbar-aware pruning (Liang et al., IEEE Access 2018) with its default, in one place;
// written into each run's summary.json. docs/xbprune.md describes the design we adopt.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace xbarcut::methods::xbprune {

enum class Grain {
  Crossbar,  // a group is a whole tile (crossbar) of the unrolled matrix
  Column,    // a group is one column of one row block; survivors are recombined into fewer crossbars
};

Grain parse_grain(const std::string& text);  // "crossbar" | "column"; else throws Error
std::string to_string(Grain grain);

// Where the crossbar budget is set.
enum class Budget {
  Layer,   // the paper: every pruned layer keeps keep_ratio of its own crossbars
  Global,  // ours: the pruned layers together keep keep_ratio of their crossbars; units compete across layers by
           // a layer-normalised score (LAMP, Lee et al. 2021: a unit's squared norm over the sum of its layer's
           // units at least as large), so a large redundant layer gives up more than a small one it feeds
};

Budget parse_budget(const std::string& text);  // "layer" | "global"; else throws Error
std::string to_string(Budget budget);

struct PruneOptions {
  Grain grain = Grain::Crossbar;
  // Share of the crossbars kept: of each pruned layer's, s = max(1, round(keep_ratio * its crossbars)) (budget
  // Layer), or of all pruned layers' together, at least one per layer (budget Global).
  double keep_ratio = 0.3;
  // Ours (measured on VGG8 / CIFAR-10 at 72 % fewer crossbars: +7.7 points after 2,000 fine-tuning iterations,
  // docs/results/crossbar_aware_pruning.md); Budget::Layer with ramp 1 is the paper's (`--preset paper`).
  Budget budget = Budget::Global;
  // LGD: a relaxed projection after every `project_every` SGD iterations.
  int64_t project_every = 100;
  // RPP: probability of zeroing a group outside the current top s_t at the first projection; it grows
  // linearly to 1 by the end of the ramp while s_t shrinks linearly from all groups to s.
  double p_start = 0.1;
  // Share of the LGD projections over which s_t and p_t ramp (the paper's schedule: 1, the ramp ends at the last
  // projection). Below 1 the remaining projections are hard, so LGD trains under the final constraint and the
  // hard projection at its end removes little.
  double ramp = 0.5;
  // Layers with fewer crossbars than this are left alone (a one-crossbar layer would vanish entirely).
  int64_t min_crossbars = 2;
  bool prune_classifier = false;  // the last layer decides the classes; the paper keeps it
  uint64_t seed = 1;
};

// Throws a one-line Error on keep_ratio outside (0, 1], project_every < 1, p_start outside [0, 1], ramp outside (0, 1] ...
void validate(const PruneOptions& o);
nlohmann::json to_json(const PruneOptions& o);

}  // namespace xbarcut::methods::xbprune
