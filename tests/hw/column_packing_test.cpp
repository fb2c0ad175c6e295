// Output recombination: live columns of each row block packed into ceil(live / Q) crossbars.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "hw/column_packing.hpp"

using namespace xbarcut;

TEST(ColumnPacking, PacksLiveColumnsPerRowBlock) {
  // 8 x 12 matrix on 4 x 4 crossbars: 2 row blocks x 3 column blocks = 6 crossbars.
  hw::WeightMatrix m = hw::shape_only("w", 8, 12);
  m.values.assign(8 * 12, 0.0f);
  // Row block 0: columns 0, 5, 6, 11 live (one per original column block at most two) -> 1 crossbar.
  for (int c : {0, 5, 6, 11}) m.values[static_cast<size_t>(1 * 12 + c)] = 1.0f;
  // Row block 1: 5 live columns -> 2 crossbars (4 + 1).
  for (int c : {1, 2, 3, 4, 9}) m.values[static_cast<size_t>(6 * 12 + c)] = -0.5f;
  const auto t = hw::tile_matrix(8, 12, hw::CrossbarShape{4, 4}, hw::TilingPolicy::Fixed);
  const auto p = hw::pack_columns(m, t);
  EXPECT_EQ(p.original_crossbars, 6);
  ASSERT_EQ(p.count(), 3);
  EXPECT_EQ(p.crossbars[0].row_block, 0);
  EXPECT_EQ(p.crossbars[0].columns, (std::vector<int64_t>{0, 5, 6, 11}));
  EXPECT_EQ(p.crossbars[1].columns, (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(p.crossbars[2].columns, (std::vector<int64_t>{9}));
  EXPECT_EQ(p.crossbars[2].row_block, 1);
}

TEST(ColumnPacking, ThresholdAndShapeOnly) {
  hw::WeightMatrix m = hw::shape_only("w", 4, 6);
  const auto t = hw::tile_matrix(4, 6, hw::CrossbarShape{4, 4}, hw::TilingPolicy::Fixed);
  EXPECT_EQ(hw::pack_columns(m, t).count(), 2);  // every column live: same as the grid
  m.values.assign(24, 0.01f);
  EXPECT_EQ(hw::pack_columns(m, t, 0.1).count(), 0);
  EXPECT_EQ(hw::pack_columns(m, t, 0.0).count(), 2);
  const auto other = hw::tile_matrix(5, 6, hw::CrossbarShape{4, 4}, hw::TilingPolicy::Fixed);
  EXPECT_THROW(hw::pack_columns(m, other), Error);
}
