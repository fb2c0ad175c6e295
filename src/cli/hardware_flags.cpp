// Parsing of the shared crossbar options.
#include "cli/hardware_flags.hpp"

#include "common/error.hpp"

namespace xbarcut::cli {

hw::CrossbarShape parse_crossbar(const std::string& text) {
  const auto x = text.find_first_of("xX");
  auto fail = [&] {
    throw Error("bad --xbar '" + text + "': give rows x columns of the largest crossbar, e.g. 64x64");
  };
  if (x == std::string::npos) fail();
  hw::CrossbarShape s;
  try {
    size_t used_r = 0, used_c = 0;
    s.rows = std::stoll(text.substr(0, x), &used_r);
    s.cols = std::stoll(text.substr(x + 1), &used_c);
    if (used_r != x || used_c != text.size() - x - 1) fail();
  } catch (const std::logic_error&) {
    fail();
  }
  if (s.rows <= 0 || s.cols <= 0)
    throw Error("bad --xbar '" + text + "': a crossbar needs at least one row and one column, e.g. 64x64");
  return s;
}

void HardwareFlags::add_to(CLI::App* cmd) {
  cmd->add_option("--xbar", xbar, "largest crossbar, rows x columns")->capture_default_str();
  cmd->add_option("--policy", policy, "tiling: divisor (Group Scissor's rule) | fixed (max tiles, padded)")
      ->capture_default_str();
  cmd->add_option("--zero-threshold", zero_threshold, "|w| at or below this is no connection")->capture_default_str();
  cmd->add_option("--feature-size", feature_size, "feature size F; areas are in F^2 (cell = 4 F^2)")
      ->capture_default_str();
  cmd->add_option("--adc-pj", adc_pj, "energy of one ADC conversion, pJ (default: ISAAC-derived, docs/hardware_model.md)");
  cmd->add_option("--dac-pj", dac_pj, "energy of one DAC input drive, pJ");
  cmd->add_option("--cell-pj", cell_pj, "energy of one cell read, pJ");
}

hw::HardwareOptions HardwareFlags::options() const {
  hw::HardwareOptions o;
  o.xbar = parse_crossbar(xbar);
  o.policy = hw::parse_tiling_policy(policy);
  o.zero_threshold = zero_threshold;
  o.feature_size_F = feature_size;
  if (adc_pj >= 0) o.energy.adc_pj = adc_pj;
  if (dac_pj >= 0) o.energy.dac_pj = dac_pj;
  if (cell_pj >= 0) o.energy.array_pj_per_cell = cell_pj;
  hw::validate(o);
  return o;
}

}  // namespace xbarcut::cli
