#include "hw/energy.hpp"

#include "common/error.hpp"

namespace xbarcut::hw {

void validate(const EnergyOptions& o) {
  if (!(o.array_pj_per_cell >= 0) || !(o.dac_pj >= 0) || !(o.adc_pj >= 0) ||
      !(o.crossbar_fixed_pj >= 0)) {
    throw Error("energy constants must be zero or positive picojoules; check the energy options");
  }
  if (o.input_slices < 1) {
    throw Error("energy input_slices is " + std::to_string(o.input_slices) +
                "; use 1 for multi-bit DACs or the activation bit width for one-bit DACs");
  }
}

EnergyBreakdown matrix_energy(const Tiling& tiling, const MatrixUsage& usage, int64_t uses,
                              const EnergyOptions& o) {
  validate(o);
  const double reads = static_cast<double>(uses) * static_cast<double>(o.input_slices);
  const double active = static_cast<double>(usage.nonempty_tiles);
  EnergyBreakdown e;
  e.array_pj = reads * active * static_cast<double>(tiling.xbar_rows * tiling.xbar_cols) * o.array_pj_per_cell;
  e.fixed_pj = reads * active * o.crossbar_fixed_pj;
  e.dac_pj = reads * static_cast<double>(usage.live_rows) * o.dac_pj;
  e.adc_pj = reads * static_cast<double>(usage.live_cols) * o.adc_pj;
  return e;
}

}  // namespace xbarcut::hw
