#include "hw/cluster_mapping.hpp"

#include <gtest/gtest.h>

#include <random>

#include "common/error.hpp"

namespace xbarcut::hw {
namespace {

HardwareOptions round_energy() {
  HardwareOptions hw;
  hw.energy.array_pj_per_cell = 1.0;
  hw.energy.dac_pj = 10.0;
  hw.energy.adc_pj = 100.0;
  hw.energy.crossbar_fixed_pj = 1000.0;
  hw.energy.input_slices = 1;
  return hw;
}

ConnectivityMask random_mask(int64_t rows, int64_t cols, double density, uint32_t seed) {
  ConnectivityMask m(rows, cols);
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(0, 1);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) m.set(i, j, u(gen) < density);
  return m;
}

// The unpruned layer mapped without clusters is exactly the fixed-size tiling of the crossbar model.
TEST(ClusterMappingTest, FullMaskEqualsTheFixedTiling) {
  HardwareOptions hw = round_energy();
  hw.xbar = {64, 64};
  hw.policy = TilingPolicy::Fixed;
  for (const auto& [rows, cols] : std::vector<std::pair<int64_t, int64_t>>{{784, 1200}, {1200, 10}, {64, 64}}) {
    ConnectivityMask full(rows, cols);
    std::fill(full.bits.begin(), full.bits.end(), 1);
    const LayerMapping l = map_compacted("fc", full, 64, hw, 3);
    const MatrixCost c = cost_matrix(shape_only("fc", rows, cols, 3), hw);
    EXPECT_EQ(l.crossbars(), c.crossbars);
    EXPECT_DOUBLE_EQ(l.area_f2, c.crossbar_area);
    EXPECT_DOUBLE_EQ(l.energy_pj(), c.energy_pj);
    EXPECT_DOUBLE_EQ(l.utilisation(), c.utilisation);
  }
}

TEST(ClusterMappingTest, EverySynapseIsMappedExactlyOnce) {
  const ConnectivityMask m = random_mask(200, 150, 0.1, 9);
  // Overlapping blocks on purpose: the second cluster shares inputs and outputs with the first.
  std::vector<Cluster> clusters(2);
  for (int64_t i = 0; i < 40; ++i) clusters[0].inputs.push_back(i);
  for (int64_t j = 0; j < 30; ++j) clusters[0].outputs.push_back(j);
  for (int64_t i = 20; i < 70; ++i) clusters[1].inputs.push_back(i);
  for (int64_t j = 10; j < 60; ++j) clusters[1].outputs.push_back(j);
  const LayerMapping l = map_clustered("fc", m, clusters, 64, round_energy());
  int64_t in_first = 0, in_union = 0;
  for (int64_t i = 0; i < 70; ++i)
    for (int64_t j = 0; j < 60; ++j) {
      const bool first = i < 40 && j < 30, second = i >= 20 && j >= 10;
      in_first += m.at(i, j) && first;
      in_union += m.at(i, j) && (first || second);
    }
  EXPECT_EQ(l.synapses, m.count());
  EXPECT_EQ(l.clustered_synapses, in_union);
  EXPECT_EQ(l.clustered_synapses + l.residual_synapses, l.synapses);
  EXPECT_EQ(l.clusters, 2);
  EXPECT_EQ(l.cluster_crossbars, 2);
  EXPECT_GT(in_first, 0);
}

// Hand-computed: a 4 x 3 cluster (inputs 0-3, outputs 0-2) fully connected plus one stray synapse
// at (9, 9) on X = 8. Cluster crossbar: 64 cells + 1000 fixed + 4 DAC + 3 ADC. Residual: one
// 1 x 1 compacted tile: 64 + 1000 + 10 + 100.
TEST(ClusterMappingTest, HandComputedAreaAndEnergy) {
  ConnectivityMask m(12, 12);
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 3; ++j) m.set(i, j, true);
  m.set(9, 9, true);
  const Cluster c{{0, 1, 2, 3}, {0, 1, 2}, 12, 1.0};
  const LayerMapping l = map_clustered("fc", m, {c}, 8, round_energy(), 2);
  EXPECT_EQ(l.cluster_crossbars, 1);
  EXPECT_EQ(l.residual_crossbars, 1);
  EXPECT_EQ(l.residual_rows, 1);
  EXPECT_EQ(l.residual_cols, 1);
  EXPECT_DOUBLE_EQ(l.area_f2, 2 * 64 * 4.0);
  EXPECT_DOUBLE_EQ(l.energy_pj(), 2.0 * ((64 + 1000 + 40 + 300) + (64 + 1000 + 10 + 100)));
  EXPECT_DOUBLE_EQ(l.utilisation(), 13.0 / 128.0);
  // Without the cluster the compacted residual spans rows {0..3, 9} and columns {0..2, 9}: one tile.
  const LayerMapping p = map_compacted("fc", m, 8, round_energy(), 2);
  EXPECT_EQ(p.crossbars(), 1);
  EXPECT_EQ(p.residual_rows, 5);
  EXPECT_EQ(p.residual_cols, 4);
}

// A cluster wider than the crossbar takes ceil(p/X) * ceil(q/X) crossbars.
TEST(ClusterMappingTest, OversizeClusterTakesSeveralCrossbars) {
  ConnectivityMask m(20, 20);
  Cluster c;
  for (int64_t i = 0; i < 10; ++i) c.inputs.push_back(i);
  for (int64_t j = 0; j < 20; ++j) c.outputs.push_back(j);
  for (int64_t i : c.inputs)
    for (int64_t j : c.outputs) m.set(i, j, true);
  const LayerMapping l = map_clustered("fc", m, {c}, 8, round_energy());
  EXPECT_EQ(l.cluster_crossbars, 2 * 3);
  EXPECT_EQ(l.residual_crossbars, 0);
}

TEST(ClusterMappingTest, TotalsAddUp) {
  const ConnectivityMask a = random_mask(100, 50, 0.2, 1), b = random_mask(50, 10, 0.5, 2);
  const std::vector<LayerMapping> layers{map_compacted("a", a, 16, round_energy()),
                                         map_compacted("b", b, 16, round_energy())};
  const MappingTotals t = total(layers);
  EXPECT_EQ(t.crossbars, layers[0].crossbars() + layers[1].crossbars());
  EXPECT_EQ(t.synapses, a.count() + b.count());
  EXPECT_DOUBLE_EQ(t.energy_pj, layers[0].energy_pj() + layers[1].energy_pj());
  EXPECT_DOUBLE_EQ(t.utilisation, static_cast<double>(t.synapses) / static_cast<double>(t.crossbars * 256));
}

TEST(ClusterMappingTest, RejectsBadInput) {
  const ConnectivityMask m(4, 4);
  EXPECT_THROW(map_compacted("fc", m, 0, round_energy()), Error);
  EXPECT_THROW(map_clustered("fc", m, {Cluster{{7}, {0}, 1, 1.0}}, 8, round_energy()), Error);
}

}  // namespace
}  // namespace xbarcut::hw
