// The crossbar-model flags (--xbar, --policy, --zero-threshold, energy constants) from the flag table, parsed once
// into hw::HardwareOptions.
#pragma once
#include <CLI/CLI.hpp>

#include "hw/network_cost.hpp"

namespace xbarcut::cli {

struct HardwareFlags {
  std::string xbar = "64x64";
  std::string policy = "divisor";
  double zero_threshold = 0.0;
  double feature_size = 1.0;
  double adc_pj = -1, dac_pj = -1, cell_pj = -1;

  void add_to(CLI::App* cmd);
  // Throws a one-line Error for "0x0", "64", an unknown policy ...
  hw::HardwareOptions options() const;
};

// prune and trannsform map onto square crossbars: "16" or "16x16" -> 16.
int64_t parse_square_crossbar(const std::string& text);

}  // namespace xbarcut::cli
