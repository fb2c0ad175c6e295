#include "hw/routing.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

namespace xbarcut::hw {
namespace {

TEST(RoutingTest, AreaIsQuadraticInWires) {
  EXPECT_DOUBLE_EQ(routing_area(10), 100.0);
  EXPECT_DOUBLE_EQ(routing_area(10, 2.5), 250.0);
  EXPECT_DOUBLE_EQ(routing_area_ratio(5, 10), 0.25);
  EXPECT_DOUBLE_EQ(routing_area_ratio(10, 10), 1.0);
  EXPECT_DOUBLE_EQ(routing_area_ratio(0, 10), 0.0);
  EXPECT_DOUBLE_EQ(live_wire_fraction(3, 12), 0.25);
}

TEST(RoutingTest, RejectsImpossibleCounts) {
  EXPECT_THROW(routing_area_ratio(11, 10), Error);
  EXPECT_THROW(routing_area_ratio(-1, 10), Error);
  EXPECT_THROW(mean_routing_area_ratio({0.5, 1.5}), Error);
}

TEST(RoutingTest, MeanOverBigMatrices) {
  EXPECT_DOUBLE_EQ(mean_routing_area_ratio({}), 1.0);
  EXPECT_DOUBLE_EQ(mean_routing_area_ratio({0.5, 1.0}), (0.25 + 1.0) / 2);
  EXPECT_DOUBLE_EQ(mean_live_wire_fraction({0.5, 1.0}), 0.75);
}

}  // namespace
}  // namespace xbarcut::hw
