// Crossbar-aware pruning (Liang et al., IEEE Access 2018): L0-constrained training with relaxant probabilistic
// projection at crossbar or column grain, input feature-map reorder (methods::xbprune::run_crossbar_aware_pruning).
#pragma once
#include "methods/crossbar_aware_pruning/run_crossbar_aware_pruning.hpp"
