#include "hw/weight_matrix.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

namespace xbarcut::hw {
namespace {

TEST(WeightMatrixTest, ShapeOnlyHasNoValues) {
  const WeightMatrix m = shape_only("fc1", 800, 500, 3);
  EXPECT_FALSE(m.has_values());
  EXPECT_EQ(m.rows, 800);
  EXPECT_EQ(m.cols, 500);
  EXPECT_EQ(m.uses, 3);
}

TEST(WeightMatrixTest, RowMajorAccess) {
  const WeightMatrix m{"w", 2, 3, {1, 2, 3, 4, 5, 6}, 1};
  EXPECT_NO_THROW(validate(m));
  EXPECT_EQ(m.at(1, 0), 4.0f);
  EXPECT_EQ(m.at(0, 2), 3.0f);
}

TEST(WeightMatrixTest, RejectsBadShapeValuesAndUses) {
  EXPECT_THROW(shape_only("a", 0, 5), Error);
  EXPECT_THROW(shape_only("a", 5, -1), Error);
  EXPECT_THROW(shape_only("a", 5, 5, 0), Error);
  EXPECT_THROW(validate(WeightMatrix{"b", 2, 3, {1, 2, 3, 4, 5}, 1}), Error);
}

TEST(WeightMatrixTest, MessageNamesTheMatrix) {
  try {
    validate(WeightMatrix{"conv2_u", 2, 3, {1, 2}, 1});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("conv2_u"), std::string::npos);
  }
}

}  // namespace
}  // namespace xbarcut::hw
