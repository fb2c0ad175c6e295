// A compression run that leaves a layer with no live weight, or a network at chance accuracy, has not saved
// hardware: it has broken the network. Such results are refused with one line saying what happened and what to
// change, instead of being written and reported as savings (a dead layer makes every crossbar ratio look great).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nn/net.hpp"

namespace xbarcut::methods {

// Names of the weight layers whose crossbar matrices are all zero (a factorised layer is dead when one factor is).
std::vector<std::string> dead_layers(const nn::Net& net);

// The classes the network tells apart: the output width of its last weight layer (for runners given no dataset).
int64_t output_classes(const nn::Net& net);

// True when `accuracy` is within two points of guessing among `classes` (1 / classes).
bool at_chance(double accuracy, int64_t classes);

// Throws xbarcut::Error when `net` has a dead layer, or when `accuracy` is at chance while the input network's
// (`baseline`; none for a run from scratch) was not. `method` names the run ("trannsform"), `remedy` what to change.
void refuse_collapse(const nn::Net& net, double accuracy, std::optional<double> baseline, int64_t classes,
                     const std::string& method, const std::string& remedy);

}  // namespace xbarcut::methods
