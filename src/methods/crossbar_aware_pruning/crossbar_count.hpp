// Crossbars a network needs after crossbar-aware pruning: non-empty tiles (crossbar grain) or, with output
// recombination (column grain), sum over row blocks of ceil(live columns / Q).
#pragma once
#include <vector>

#include "hw/network_cost.hpp"
#include "methods/crossbar_aware_pruning/pruning_options.hpp"
#include "nn/net.hpp"

namespace xbarcut::methods::xbprune {

struct LayerCrossbars {
  std::string name;
  int64_t rows = 0, cols = 0;
  int64_t original = 0;  // crossbars of the dense layer
  int64_t now = 0;       // crossbars after pruning (and recombination at column grain)
  double nonzero_fraction = 1;
};

std::vector<LayerCrossbars> count_crossbars(const nn::Net& net, const hw::HardwareOptions& hardware, Grain grain);

// sum(now) / sum(original) over every layer, the unpruned ones included.
double crossbar_ratio(const std::vector<LayerCrossbars>& layers);

}  // namespace xbarcut::methods::xbprune
