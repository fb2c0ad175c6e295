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

struct PruneOptions {
  Grain grain = Grain::Crossbar;
  // Crossbars kept per pruned layer: s = max(1, round(keep_ratio * crossbars of the layer)).
  double keep_ratio = 0.3;
  // LGD: a relaxed projection after every `project_every` SGD iterations.
  int64_t project_every = 100;
  // RPP: probability of zeroing a group outside the current top s_t at the first projection; it grows
  // linearly to 1 at the last one while s_t shrinks linearly from all groups to s.
  double p_start = 0.1;
  // Layers with fewer crossbars than this are left alone (a one-crossbar layer would vanish entirely).
  int64_t min_crossbars = 2;
  bool prune_classifier = false;  // the last layer decides the classes; the paper keeps it
  uint64_t seed = 1;
};

// Throws a one-line Error on keep_ratio outside (0, 1], project_every < 1, p_start outside [0, 1] ...
void validate(const PruneOptions& o);
nlohmann::json to_json(const PruneOptions& o);

}  // namespace xbarcut::methods::xbprune
