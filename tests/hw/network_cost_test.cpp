#include "hw/network_cost.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "common/error.hpp"
#include "hw_test_util.hpp"

namespace xbarcut::hw {
namespace {

std::vector<WeightMatrix> small_net() {
  return {test::random_matrix("conv", 75, 32, 1), test::random_matrix("fc", 1024, 10, 2),
          test::random_matrix("tiny", 20, 10, 3)};
}

TEST(NetworkCostTest, UntouchedNetworkAgainstItselfIsOne) {
  const HardwareOptions o;
  for (bool with_values : {true, false}) {
    std::vector<WeightMatrix> net = small_net();  // 30 % random zeros: every group keeps a weight
    if (!with_values)
      for (WeightMatrix& m : net) m.values.clear();
    const NetworkCost c = cost_network(net, net, o);
    EXPECT_DOUBLE_EQ(c.crossbar_area_ratio, 1.0);
    EXPECT_DOUBLE_EQ(c.nonempty_area_ratio, 1.0);
    EXPECT_DOUBLE_EQ(c.routing_area_ratio, 1.0);
    EXPECT_DOUBLE_EQ(c.live_wires_mean, 1.0);
    EXPECT_DOUBLE_EQ(c.routing_area_total_ratio, 1.0);
    EXPECT_DOUBLE_EQ(c.energy_ratio, 1.0);
    EXPECT_EQ(c.total.crossbars, c.original.crossbars);
  }
}

TEST(NetworkCostTest, DenseWeightsEqualTheShapeOnlyOriginal) {
  std::vector<WeightMatrix> dense = small_net(), shapes = small_net();
  for (WeightMatrix& m : dense) std::fill(m.values.begin(), m.values.end(), 0.5f);
  for (WeightMatrix& m : shapes) m.values.clear();
  const NetworkCost c = cost_network(dense, shapes, HardwareOptions{});
  EXPECT_DOUBLE_EQ(c.crossbar_area_ratio, 1.0);
  EXPECT_DOUBLE_EQ(c.routing_area_ratio, 1.0);
  EXPECT_DOUBLE_EQ(c.routing_area_total_ratio, 1.0);
  EXPECT_DOUBLE_EQ(c.energy_ratio, 1.0);
}

TEST(NetworkCostTest, PerMatrixFields) {
  HardwareOptions o;
  o.feature_size_F = 2.0;
  const MatrixCost c = cost_matrix(shape_only("conv", 75, 32), o);
  EXPECT_EQ(c.xbar_rows, 25);
  EXPECT_EQ(c.xbar_cols, 32);
  EXPECT_EQ(c.crossbars, 3);
  EXPECT_EQ(c.nonempty_crossbars, 3);
  EXPECT_EQ(c.cells, 2400);
  EXPECT_DOUBLE_EQ(c.crossbar_area, 2400 * 4.0 * 4.0);  // 4 F^2 per cell, F = 2
  EXPECT_DOUBLE_EQ(c.utilisation, 1.0);
  EXPECT_EQ(c.wires, 3 * (25 + 32));
  EXPECT_TRUE(c.big);
  EXPECT_EQ(c.tiling.row_blocks.size(), 3u);
  EXPECT_EQ(c.tiles.size(), 3u);

  HardwareOptions fixed;
  fixed.policy = TilingPolicy::Fixed;
  const MatrixCost f = cost_matrix(shape_only("conv", 75, 32), fixed);
  EXPECT_EQ(f.cells, 2 * 64 * 64);
  EXPECT_DOUBLE_EQ(f.utilisation, 2400.0 / 8192.0);
}

TEST(NetworkCostTest, EmptyTileLeavesTheNonEmptyCount) {
  const HardwareOptions o;
  WeightMatrix m = test::random_matrix("fc", 1024, 10, 9, 0.0);
  const std::vector<WeightMatrix> before{m};
  for (int64_t r = 0; r < 64; ++r)
    for (int64_t c = 0; c < 10; ++c) m.values[static_cast<size_t>(r * 10 + c)] = 0.0f;
  const NetworkCost c = cost_network({m}, before, o);
  const MatrixCost& x = c.matrices[0];
  EXPECT_EQ(x.crossbars, 16);
  EXPECT_EQ(x.nonempty_crossbars, 15);
  EXPECT_EQ(x.live_wires, x.wires - (64 + 10));
  EXPECT_DOUBLE_EQ(c.crossbar_area_ratio, 1.0);  // the grid is the same
  EXPECT_DOUBLE_EQ(c.nonempty_area_ratio, 15.0 / 16.0);
  EXPECT_DOUBLE_EQ(c.routing_area_ratio, std::pow((16.0 * 74 - 74) / (16.0 * 74), 2));
  EXPECT_LT(c.energy_ratio, 1.0);
}

TEST(NetworkCostTest, CompactedCellsShrinkEachTileToItsLiveGroups) {
  // One 64x64 tile whose live part is rows 0..9 x columns 0..4.
  WeightMatrix m{"w", 64, 64, std::vector<float>(64 * 64, 0.0f), 1};
  for (int64_t r = 0; r < 10; ++r)
    for (int64_t c = 0; c < 5; ++c) m.values[static_cast<size_t>(r * 64 + c)] = 1.0f;
  const NetworkCost c = cost_network({m}, {shape_only("w", 64, 64)}, HardwareOptions{});
  EXPECT_EQ(c.total.compacted_cells, 50);
  EXPECT_DOUBLE_EQ(c.compacted_area_ratio, 50.0 / 4096.0);
  EXPECT_DOUBLE_EQ(c.matrices[0].utilisation, 50.0 / 4096.0);
}

// The paper's routing figure only looks at big matrices; the whole-network ratio sees everything.
TEST(NetworkCostTest, SmallMatricesStayOutOfTheMeanRoutingRatio) {
  WeightMatrix tiny = test::random_matrix("tiny", 20, 10, 4, 0.0);
  for (int64_t c = 0; c < 10; ++c) tiny.values[static_cast<size_t>(c)] = 0.0f;  // one dead input wire
  const std::vector<WeightMatrix> net{shape_only("big", 128, 64), tiny};
  const std::vector<WeightMatrix> orig{shape_only("big", 128, 64), shape_only("tiny", 20, 10)};
  const NetworkCost c = cost_network(net, orig, HardwareOptions{});
  EXPECT_DOUBLE_EQ(c.routing_area_ratio, 1.0);
  const double big_w = 2 * (64 + 64), tiny_w = 30;
  EXPECT_DOUBLE_EQ(c.routing_area_total_ratio,
                   (big_w * big_w + 29.0 * 29.0) / (big_w * big_w + tiny_w * tiny_w));
  EXPECT_EQ(c.total.matrices, 2);
  EXPECT_EQ(c.original.matrices, 2);
}

TEST(NetworkCostTest, UsesScaleEnergy) {
  WeightMatrix a = shape_only("conv", 75, 32, 1), b = shape_only("conv", 75, 32, 100);
  const NetworkCost c = cost_network({b}, {a}, HardwareOptions{});
  EXPECT_DOUBLE_EQ(c.energy_ratio, 100.0);
}

TEST(NetworkCostTest, RejectsBadInput) {
  const std::vector<WeightMatrix> net{shape_only("a", 10, 10)};
  EXPECT_THROW(cost_network(net, {}, HardwareOptions{}), Error);
  EXPECT_THROW(cost_network({WeightMatrix{"bad", 3, 3, {1, 2}, 1}}, net, HardwareOptions{}), Error);
  HardwareOptions o;
  o.xbar = CrossbarShape{0, 0};
  EXPECT_THROW(cost_network(net, net, o), Error);
  o = HardwareOptions{};
  o.zero_threshold = -1;
  EXPECT_THROW(cost_network(net, net, o), Error);
  o = HardwareOptions{};
  o.feature_size_F = 0;
  EXPECT_THROW(cost_network(net, net, o), Error);
  o = HardwareOptions{};
  o.energy.dac_pj = -2;
  EXPECT_THROW(cost_network(net, net, o), Error);
}

}  // namespace
}  // namespace xbarcut::hw
