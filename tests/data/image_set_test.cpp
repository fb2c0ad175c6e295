// Tests for the ImageSet accessors: CHW indexing and taking a prefix.
#include "data/image_set.hpp"

#include <gtest/gtest.h>

namespace xbarcut::data {
namespace {

ImageSet two_by_two_rgb(int64_t count) {
  ImageSet set;
  set.count = count;
  set.channels = 3;
  set.height = 2;
  set.width = 2;
  for (int64_t i = 0; i < count * 12; ++i) set.pixels.push_back(static_cast<uint8_t>(i));
  for (int64_t i = 0; i < count; ++i) set.labels.push_back(static_cast<uint8_t>(i % 10));
  set.num_classes = 10;
  set.name = "t";
  return set;
}

TEST(ImageSet, ChwIndexing) {
  const ImageSet set = two_by_two_rgb(3);
  EXPECT_EQ(set.image_size(), 12);
  EXPECT_EQ(set.pixel(0, 0, 0, 0), 0);
  EXPECT_EQ(set.pixel(0, 0, 0, 1), 1);
  EXPECT_EQ(set.pixel(0, 0, 1, 0), 2);
  EXPECT_EQ(set.pixel(0, 1, 0, 0), 4);
  EXPECT_EQ(set.pixel(2, 2, 1, 1), 35);
  EXPECT_EQ(set.image(1)[0], 12);
  EXPECT_EQ(set.label(2), 2);
  EXPECT_FALSE(set.empty());
  EXPECT_TRUE(ImageSet().empty());
}

TEST(ImageSet, FirstKeepsAPrefix) {
  const ImageSet set = two_by_two_rgb(5);
  const ImageSet head = set.first(2);
  EXPECT_EQ(head.count, 2);
  EXPECT_EQ(head.pixels.size(), 24u);
  EXPECT_EQ(head.labels, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(head.pixel(1, 2, 1, 1), set.pixel(1, 2, 1, 1));
  EXPECT_EQ(head.name, "t");
  EXPECT_EQ(head.num_classes, 10);
  EXPECT_EQ(set.first(99).count, 5);
  EXPECT_EQ(set.first(-1).count, 0);
}

}  // namespace
}  // namespace xbarcut::data
