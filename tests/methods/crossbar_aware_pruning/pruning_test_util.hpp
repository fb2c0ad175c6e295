// Helpers shared by the crossbar-aware pruning tests.
#pragma once
#include "hw/network_cost.hpp"

namespace xbarcut::test {

// n x n crossbars with the fixed (padded) tiling the crossbar-aware pruning paper uses.
inline hw::HardwareOptions fixed_crossbars(int n) {
  hw::HardwareOptions o;
  o.xbar = {n, n};
  o.policy = hw::TilingPolicy::Fixed;
  return o;
}

}  // namespace xbarcut::test
