#include "cli/hardware_flags.hpp"

#include "cli/flag_table.hpp"
#include "common/error.hpp"
#include "hw/tiling.hpp"

namespace xbarcut::cli {

int64_t parse_square_crossbar(const std::string& text) {
  if (text.find_first_of("xX") == std::string::npos) {
    try {
      size_t used = 0;
      const int64_t n = std::stoll(text, &used);
      if (used == text.size()) return n;
    } catch (const std::logic_error&) {
    }
    throw Error("bad --xbar '" + text + "': give the size of the square crossbars, e.g. 64 or 64x64");
  }
  const auto s = hw::parse_crossbar(text);
  if (s.rows != s.cols) throw Error("bad --xbar '" + text + "': this command maps onto square crossbars, e.g. 64x64");
  return s.rows;
}

void HardwareFlags::add_to(CLI::App* cmd) {
  add_table_flag(cmd, "--xbar", xbar);
  add_table_flag(cmd, "--policy", policy);
  add_table_flag(cmd, "--zero-threshold", zero_threshold);
  add_table_flag(cmd, "--feature-size", feature_size);
  add_table_flag(cmd, "--adc-pj", adc_pj);
  add_table_flag(cmd, "--dac-pj", dac_pj);
  add_table_flag(cmd, "--cell-pj", cell_pj);
}

hw::HardwareOptions HardwareFlags::options() const {
  hw::HardwareOptions o;
  o.xbar = hw::parse_crossbar(xbar);
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
