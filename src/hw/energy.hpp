// Energy of one inference on the crossbars: array reads of non-empty tiles plus one DAC drive per
// live input wire and one ADC conversion per live output wire. Constants are ISAAC-derived defaults.
#pragma once
#include <cstdint>

#include "hw/tile_usage.hpp"
#include "hw/tiling.hpp"

namespace xbarcut::hw {

// Per-event energies in picojoules, for one analog read cycle (one input bit slice).
// Derived from ISAAC (Shafiee et al., ISCA 2016, table of IMA components, 32 nm, 100 ns cycle),
// quoted from memory: treat them as order-of-magnitude defaults and override them for a real design.
struct EnergyOptions {
  // 8 arrays of 128x128 cells draw 2.4 mW: 0.3 mW x 100 ns = 30 pJ per array read, / 16384 cells.
  // Charged on every physical cell of a non-empty crossbar: zero and padded cells still sit at
  // g_off on a driven row, so they conduct; a crossbar whose tile is entirely zero is not read.
  double array_pj_per_cell = 30.0 / 16384.0;
  // 8x128 one-bit DACs draw 4 mW: 4 mW / 1024 x 100 ns ~= 0.39 pJ per driven input wire.
  double dac_pj = 0.39;
  // 8-bit ADC at 1.28 GS/s, 8 of them draw 16 mW: 2 mW / 1.28 GHz ~= 1.56 pJ per conversion.
  double adc_pj = 1.5625;
  // Any per-crossbar overhead not modelled above (drivers, sample-and-hold: ISAAC's 8x128 S+H draw
  // only 10 uW, so the default leaves it out).
  double crossbar_fixed_pj = 0.0;
  // Read cycles per matrix-vector product: 8-bit activations streamed one bit per cycle through
  // one-bit DACs (ISAAC streams 16-bit ones). Scales every term, so ratios do not depend on it.
  int64_t input_slices = 8;
};

// Throws xbarcut::Error on a negative energy or input_slices < 1.
void validate(const EnergyOptions& options);

struct EnergyBreakdown {
  double array_pj = 0, dac_pj = 0, adc_pj = 0, fixed_pj = 0;
  double total_pj() const { return array_pj + dac_pj + adc_pj + fixed_pj; }
};

// uses * input_slices * (active crossbars * (P*Q*array + fixed) + live inputs * DAC + live outputs * ADC)
EnergyBreakdown matrix_energy(const Tiling& tiling, const MatrixUsage& usage, int64_t uses,
                              const EnergyOptions& options);

}  // namespace xbarcut::hw
