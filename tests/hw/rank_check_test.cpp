#include "hw/rank_check.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

namespace xbarcut::hw {
namespace {

TEST(RankCheckTest, AreaShrinksBelowNMOverNPlusM) {
  // LeNet fc1: 800*500 / 1300 = 307.7
  EXPECT_TRUE(low_rank_saves_area(800, 500, 307));
  EXPECT_FALSE(low_rank_saves_area(800, 500, 308));
  EXPECT_EQ(max_area_saving_rank(800, 500), 307);
  // Square 64x64: K = 32 gives exactly the same cell count, so it does not save.
  EXPECT_FALSE(low_rank_saves_area(64, 64, 32));
  EXPECT_TRUE(low_rank_saves_area(64, 64, 31));
  EXPECT_EQ(max_area_saving_rank(64, 64), 31);
  EXPECT_EQ(max_area_saving_rank(1, 1), 0);  // 1x1 can never shrink
}

TEST(RankCheckTest, RankMustBeBetweenOneAndMinDimension) {
  EXPECT_NO_THROW(validate_rank(25, 20, 1));
  EXPECT_NO_THROW(validate_rank(25, 20, 20));
  EXPECT_THROW(validate_rank(25, 20, 0, "conv1"), Error);
  EXPECT_THROW(validate_rank(25, 20, 21, "conv1"), Error);
  EXPECT_THROW(validate_rank(0, 20, 1), Error);
  try {
    validate_rank(25, 20, 21, "conv1");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("between 1 and 20"), std::string::npos);
  }
}

}  // namespace
}  // namespace xbarcut::hw
