// Tests for the Caffe normalisation constants and the mean image, against values worked out by hand.
#include "data/normalisation.hpp"

#include "data_test_util.hpp"

namespace xbarcut::data {
namespace {

TEST(Normalisation, CaffeConstants) {
  EXPECT_FLOAT_EQ(normalisation_for("mnist").scale, 0.00390625f);
  EXPECT_FALSE(normalisation_for("mnist").subtract_mean_image);
  EXPECT_FLOAT_EQ(normalisation_for("fashion-mnist").scale, 0.00390625f);
  EXPECT_FLOAT_EQ(normalisation_for("cifar10").scale, 1.0f);
  EXPECT_TRUE(normalisation_for("cifar10").subtract_mean_image);
  EXPECT_TRUE(normalisation_for("cifar10-grey").subtract_mean_image);
  EXPECT_THROW(normalisation_for("imagenet"), xbarcut::Error);
}

TEST(Normalisation, MeanImageByHand) {
  ImageSet set;
  set.count = 3;
  set.channels = 2;
  set.height = 1;
  set.width = 2;
  // image 0: {0, 255 | 10, 1}; image 1: {3, 255 | 20, 0}; image 2: {6, 255 | 30, 0}
  set.pixels = {0, 255, 10, 1, 3, 255, 20, 0, 6, 255, 30, 0};
  set.labels = {0, 1, 2};
  const std::vector<float> mean = mean_image(set);
  ASSERT_EQ(mean.size(), 4u);
  EXPECT_FLOAT_EQ(mean[0], 3.0f);
  EXPECT_FLOAT_EQ(mean[1], 255.0f);
  EXPECT_FLOAT_EQ(mean[2], 20.0f);
  EXPECT_FLOAT_EQ(mean[3], 1.0f / 3.0f);
}

TEST(Normalisation, MeanOfEmptySetIsZeros) {
  ImageSet set;
  set.channels = 3;
  set.height = 2;
  set.width = 2;
  EXPECT_EQ(mean_image(set), std::vector<float>(12, 0.0f));
}

}  // namespace
}  // namespace xbarcut::data
