#include "hw/energy.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "hw_test_util.hpp"

namespace xbarcut::hw {
namespace {

EnergyOptions round_numbers() {
  EnergyOptions o;
  o.array_pj_per_cell = 1.0;
  o.dac_pj = 10.0;
  o.adc_pj = 100.0;
  o.crossbar_fixed_pj = 1000.0;
  o.input_slices = 1;
  return o;
}

// 128x128 on 64x64 crossbars with tile (1,0) zeroed: 3 tiles read, each fully live otherwise.
TEST(EnergyTest, HandComputedWithAnEmptyTile) {
  const Tiling t = tile_matrix(128, 128, CrossbarShape{});
  WeightMatrix m = test::random_matrix("w", 128, 128, 11, 0.0);
  for (int64_t r = 64; r < 128; ++r)
    for (int64_t c = 0; c < 64; ++c) m.values[static_cast<size_t>(r * 128 + c)] = 0.0f;
  const MatrixUsage u = scan_usage(m, t);
  const EnergyBreakdown e = matrix_energy(t, u, 2, round_numbers());
  EXPECT_DOUBLE_EQ(e.array_pj, 2.0 * 3 * 4096 * 1.0);
  EXPECT_DOUBLE_EQ(e.fixed_pj, 2.0 * 3 * 1000.0);
  EXPECT_DOUBLE_EQ(e.dac_pj, 2.0 * (3 * 64) * 10.0);
  EXPECT_DOUBLE_EQ(e.adc_pj, 2.0 * (3 * 64) * 100.0);
  EXPECT_DOUBLE_EQ(e.total_pj(), e.array_pj + e.fixed_pj + e.dac_pj + e.adc_pj);
}

TEST(EnergyTest, DeadWiresSaveConverterEnergy) {
  const Tiling t = tile_matrix(64, 64, CrossbarShape{});
  WeightMatrix m = test::random_matrix("w", 64, 64, 5, 0.0);
  const double full = matrix_energy(t, scan_usage(m, t), 1, round_numbers()).total_pj();
  for (int64_t c = 0; c < 64; ++c) m.values[static_cast<size_t>(c)] = 0.0f;  // row 0 dead
  const double less = matrix_energy(t, scan_usage(m, t), 1, round_numbers()).total_pj();
  EXPECT_DOUBLE_EQ(full - less, 10.0);  // one DAC drive fewer
}

TEST(EnergyTest, InputSlicesScaleEverything) {
  const Tiling t = tile_matrix(100, 30, CrossbarShape{});
  const MatrixUsage u = scan_usage(shape_only("w", 100, 30), t);
  EnergyOptions one, eight;
  one.input_slices = 1;
  eight.input_slices = 8;
  EXPECT_DOUBLE_EQ(matrix_energy(t, u, 1, eight).total_pj(), 8.0 * matrix_energy(t, u, 1, one).total_pj());
}

TEST(EnergyTest, DefaultsArePositiveIsaacValues) {
  const EnergyOptions o;
  EXPECT_NEAR(o.adc_pj, 2e-3 / 1.28e9 * 1e12, 1e-9);
  EXPECT_NEAR(o.array_pj_per_cell * 128 * 128, 0.3e-3 * 100e-9 * 1e12, 1e-9);
  EXPECT_NEAR(o.dac_pj, 4e-3 / 1024 * 100e-9 * 1e12, 0.01);
}

TEST(EnergyTest, RejectsNegativeConstants) {
  EnergyOptions o;
  o.adc_pj = -1;
  EXPECT_THROW(validate(o), Error);
  o = EnergyOptions{};
  o.input_slices = 0;
  EXPECT_THROW(validate(o), Error);
}

}  // namespace
}  // namespace xbarcut::hw
