#include "hw/tile_usage.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "common/error.hpp"
#include "hw_test_util.hpp"

namespace xbarcut::hw {
namespace {

TEST(TileUsageTest, ShapeOnlyMatrixIsFullyLive) {
  const Tiling t = tile_matrix(500, 50, CrossbarShape{});
  const MatrixUsage u = scan_usage(shape_only("conv2", 500, 50), t);
  EXPECT_EQ(u.nonzero, 500 * 50);
  EXPECT_EQ(u.nonempty_tiles, 10);
  EXPECT_EQ(u.wires, 10 * (50 + 50));
  EXPECT_EQ(u.live_wires, u.wires);
  EXPECT_EQ(u.compacted_cells, 500 * 50);
}

// A 4x4 matrix on 2x2 crossbars, counted by hand:
//   [1 0 | 0 0]   tile(0,0): 2 non-zeros, rows {0,1} live, column {0} live
//   [2 0 | 0 0]   tile(0,1): empty
//   [0 0 | 0 3]   tile(1,0): empty
//   [0 0 | 4 5]   tile(1,1): 3 non-zeros, rows {0,1}, columns {0,1}
TEST(TileUsageTest, CountsGroupsByHand) {
  const WeightMatrix m{"w", 4, 4, {1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4, 5}, 1};
  const Tiling t = tile_matrix(4, 4, CrossbarShape{2, 2});
  const MatrixUsage u = scan_usage(m, t);
  ASSERT_EQ(u.tiles.size(), 4u);
  const TileUsage& a = u.tiles[static_cast<size_t>(t.tile_index(0, 0))];
  EXPECT_EQ(a.nonzero, 2);
  EXPECT_EQ(a.live_rows, 2);
  EXPECT_EQ(a.live_cols, 1);
  EXPECT_EQ(a.compacted_cells(), 2);
  EXPECT_TRUE(u.tiles[static_cast<size_t>(t.tile_index(0, 1))].empty());
  EXPECT_TRUE(u.tiles[static_cast<size_t>(t.tile_index(1, 0))].empty());
  const TileUsage& d = u.tiles[static_cast<size_t>(t.tile_index(1, 1))];
  EXPECT_EQ(d.nonzero, 3);
  EXPECT_EQ(d.live_wires(), 4);
  EXPECT_EQ(u.nonempty_tiles, 2);
  EXPECT_EQ(u.wires, 16);
  EXPECT_EQ(u.live_wires, 3 + 4);
  EXPECT_EQ(u.compacted_cells, 2 + 4);
}

TEST(TileUsageTest, ThresholdDecidesWhatIsAConnection) {
  const WeightMatrix m{"w", 2, 2, {0.05f, -0.05f, 0.2f, -0.3f}, 1};
  const Tiling t = tile_matrix(2, 2, CrossbarShape{});
  EXPECT_EQ(scan_usage(m, t, 0.0).nonzero, 4);
  const MatrixUsage u = scan_usage(m, t, 0.1);
  EXPECT_EQ(u.nonzero, 2);
  EXPECT_EQ(u.live_rows, 1);
  EXPECT_EQ(u.live_cols, 2);
  EXPECT_THROW(scan_usage(m, t, -1.0), Error);
}

TEST(TileUsageTest, ZeroingAWholeTileRemovesItsWires) {
  const Tiling t = tile_matrix(128, 128, CrossbarShape{});
  WeightMatrix m = test::random_matrix("w", 128, 128, 7, 0.0);
  const MatrixUsage before = scan_usage(m, t);
  EXPECT_EQ(before.nonempty_tiles, 4);
  EXPECT_EQ(before.live_wires, 4 * 128);
  for (int64_t r = 64; r < 128; ++r)
    for (int64_t c = 0; c < 64; ++c) m.values[static_cast<size_t>(r * 128 + c)] = 0.0f;
  const MatrixUsage after = scan_usage(m, t);
  EXPECT_EQ(after.nonempty_tiles, 3);
  EXPECT_EQ(after.live_wires, before.live_wires - 128);
  EXPECT_TRUE(after.tiles[static_cast<size_t>(t.tile_index(1, 0))].empty());
}

// Padded tilings (prime dimensions, fixed tiles) must still see every weight exactly once.
TEST(TileUsageTest, PaddingNeverLosesAWeight) {
  for (TilingPolicy policy : {TilingPolicy::Divisor, TilingPolicy::Fixed}) {
    const WeightMatrix m = test::random_matrix("w", 67, 131, 3, 0.3);
    const Tiling t = tile_matrix(67, 131, CrossbarShape{}, policy);
    const MatrixUsage u = scan_usage(m, t);
    int64_t nonzero = 0;
    double total = 0;
    for (float v : m.values) {
      nonzero += v != 0.0f;
      total += v;
    }
    EXPECT_EQ(u.nonzero, nonzero);
    double by_tile = 0;
    for (const Block& rb : t.row_blocks)
      for (const Block& cb : t.col_blocks)
        for (int64_t r = rb.begin; r < rb.end; ++r)
          for (int64_t c = cb.begin; c < cb.end; ++c) by_tile += m.at(r, c);
    EXPECT_NEAR(by_tile, total, 1e-6 * std::abs(total) + 1e-9);
    EXPECT_GE(t.cells(), 67 * 131);
  }
}

TEST(TileUsageTest, LiveWireBuilderHitsExactCounts) {
  const Tiling t = tile_matrix(800, 36, CrossbarShape{});
  for (int64_t live : {0, 2, 3, 85, 86, 87, 341, 1376}) {
    EXPECT_EQ(scan_usage(test::matrix_with_live_wires("w", t, live), t).live_wires, live) << live;
  }
}

TEST(TileUsageTest, RejectsForeignTiling) {
  const Tiling t = tile_matrix(10, 10, CrossbarShape{});
  EXPECT_THROW(scan_usage(shape_only("w", 10, 11), t), Error);
  EXPECT_THROW(scan_usage(WeightMatrix{"w", 10, 10, {1.0f}, 1}, t), Error);
}

}  // namespace
}  // namespace xbarcut::hw
