#include "hw/tiling.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

namespace xbarcut::hw {
namespace {

const CrossbarShape k64{64, 64};

TEST(TilingTest, ParsesPolicies) {
  EXPECT_EQ(parse_tiling_policy("divisor"), TilingPolicy::Divisor);
  EXPECT_EQ(parse_tiling_policy("fixed"), TilingPolicy::Fixed);
  EXPECT_EQ(to_string(TilingPolicy::Divisor), "divisor");
  EXPECT_EQ(to_string(TilingPolicy::Fixed), "fixed");
  EXPECT_THROW(parse_tiling_policy("Divisor"), Error);
  EXPECT_THROW(parse_tiling_policy("padded"), Error);
}

TEST(TilingTest, RejectsBadCrossbarAndShape) {
  EXPECT_THROW(tile_matrix(10, 10, CrossbarShape{0, 0}), Error);
  EXPECT_THROW(tile_matrix(10, 10, CrossbarShape{64, -1}), Error);
  EXPECT_THROW(tile_matrix(0, 10, k64), Error);
  EXPECT_THROW(tile_matrix(10, -3, k64), Error);
}

TEST(TilingTest, MatrixThatFitsIsOneExactCrossbar) {
  const Tiling t = tile_matrix(25, 20, k64);
  EXPECT_EQ(t.xbar_rows, 25);
  EXPECT_EQ(t.xbar_cols, 20);
  EXPECT_EQ(t.crossbars(), 1);
  EXPECT_EQ(t.cells(), 500);
  EXPECT_FALSE(t.big());
}

TEST(TilingTest, DivisorRulePerDimension) {
  const Tiling a = tile_matrix(500, 50, k64);  // rows too many, columns fit
  EXPECT_EQ(a.xbar_rows, 50);
  EXPECT_EQ(a.xbar_cols, 50);
  EXPECT_EQ(a.row_blocks.size(), 10u);
  EXPECT_EQ(a.col_blocks.size(), 1u);
  EXPECT_EQ(a.cells(), 500 * 50);

  const Tiling b = tile_matrix(36, 500, k64);  // a dimension that fits keeps its full size
  EXPECT_EQ(b.xbar_rows, 36);
  EXPECT_EQ(b.xbar_cols, 50);
  EXPECT_EQ(b.crossbars(), 10);

  const Tiling c = tile_matrix(1024, 10, k64);
  EXPECT_EQ(c.xbar_rows, 64);
  EXPECT_EQ(c.crossbars(), 16);
  EXPECT_TRUE(c.big());
}

TEST(TilingTest, BlocksAreHalfOpenRangesInMatrixCoordinates) {
  const Tiling t = tile_matrix(75, 130, k64, TilingPolicy::Divisor);
  EXPECT_EQ(t.xbar_rows, 25);
  EXPECT_EQ(t.xbar_cols, 26);  // largest divisor of 130 not above 64
  ASSERT_EQ(t.row_blocks.size(), 3u);
  EXPECT_EQ(t.row_blocks[1].begin, 25);
  EXPECT_EQ(t.row_blocks[1].end, 50);
  EXPECT_EQ(t.col_blocks.back().end, 130);
  EXPECT_EQ(t.tile_index(2, 4), 2 * 5 + 4);
}

TEST(TilingTest, PrimeDimensionFallsBackToPaddedMaxTiles) {
  // 67 is prime: the only divisor <= 64 is 1, i.e. 67 one-row crossbars. Fall back to 64 + 3 (padded).
  const Tiling t = tile_matrix(67, 10, k64);
  EXPECT_EQ(t.xbar_rows, 64);
  ASSERT_EQ(t.row_blocks.size(), 2u);
  EXPECT_EQ(t.row_blocks[1].begin, 64);
  EXPECT_EQ(t.row_blocks[1].end, 67);
  EXPECT_EQ(t.cells(), 2 * 64 * 10);  // padded cells count in area
  EXPECT_EQ(tile_side(134, 64, TilingPolicy::Divisor), 64);  // divisor 2 is degenerate too
  EXPECT_EQ(tile_side(68, 64, TilingPolicy::Divisor), 34);   // 34 >= 64/4 is kept
  // The fallback threshold is an option: 0 keeps even a divisor of 1.
  EXPECT_EQ(tile_matrix(67, 10, k64, TilingPolicy::Divisor, 0.0).xbar_rows, 1);
}

TEST(TilingTest, FixedPolicyUsesMaxTilesEverywhere) {
  const Tiling small = tile_matrix(25, 20, k64, TilingPolicy::Fixed);
  EXPECT_EQ(small.xbar_rows, 64);
  EXPECT_EQ(small.cells(), 64 * 64);

  const Tiling fixed = tile_matrix(75, 32, k64, TilingPolicy::Fixed);
  const Tiling divisor = tile_matrix(75, 32, k64, TilingPolicy::Divisor);
  EXPECT_EQ(fixed.crossbars(), 2);
  EXPECT_EQ(fixed.cells(), 2 * 64 * 64);
  EXPECT_EQ(divisor.crossbars(), 3);
  EXPECT_EQ(divisor.cells(), 75 * 32);
}

TEST(TilingTest, NonSquareMaximum) {
  const Tiling t = tile_matrix(300, 300, CrossbarShape{128, 32});
  EXPECT_EQ(t.xbar_rows, 100);
  EXPECT_EQ(t.xbar_cols, 30);
}

// Every shape and policy: blocks cover the matrix without gaps, no block exceeds the crossbar,
// cells never undercount the weights, and the divisor library never costs more than fixed tiles.
TEST(TilingTest, BlocksCoverEveryShape) {
  for (int64_t rows = 1; rows <= 300; rows += 7) {
    for (int64_t cols = 1; cols <= 300; cols += 11) {
      int64_t cells[2];
      for (TilingPolicy policy : {TilingPolicy::Divisor, TilingPolicy::Fixed}) {
        const Tiling t = tile_matrix(rows, cols, k64, policy);
        ASSERT_LE(t.xbar_rows, 64);
        ASSERT_LE(t.xbar_cols, 64);
        int64_t next = 0;
        for (const Block& b : t.row_blocks) {
          ASSERT_EQ(b.begin, next);
          ASSERT_GT(b.size(), 0);
          ASSERT_LE(b.size(), t.xbar_rows);
          next = b.end;
        }
        ASSERT_EQ(next, rows);
        next = 0;
        for (const Block& b : t.col_blocks) {
          ASSERT_EQ(b.begin, next);
          ASSERT_LE(b.size(), t.xbar_cols);
          next = b.end;
        }
        ASSERT_EQ(next, cols);
        ASSERT_GE(t.cells(), rows * cols);
        cells[policy == TilingPolicy::Divisor ? 0 : 1] = t.cells();
      }
      ASSERT_LE(cells[0], cells[1]) << rows << "x" << cols;
    }
  }
}

}  // namespace
}  // namespace xbarcut::hw
