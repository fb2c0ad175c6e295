// Model zoo shapes: the crossbar matrices of each model match docs/reference.md section 1.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "nn/net_spec.hpp"

using namespace xbarcut;

namespace {
std::vector<std::pair<int64_t, int64_t>> shapes(const nn::NetSpec& s) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& g : nn::layer_geometry(s)) out.emplace_back(g.rows, g.cols);
  return out;
}
}  // namespace

TEST(NetSpec, LeNetMatricesAreThePapers) {
  auto s = nn::make_net_spec("lenet", {1, 28, 28}, 10);
  using P = std::pair<int64_t, int64_t>;
  EXPECT_EQ(shapes(s), (std::vector<P>{{25, 20}, {500, 50}, {800, 500}, {500, 10}}));
  EXPECT_EQ(s.weight_layer_names(), (std::vector<std::string>{"conv1", "conv2", "fc1", "fc2"}));
  EXPECT_EQ(nn::layer_geometry(s)[0].uses, 24 * 24);
}

TEST(NetSpec, ConvNetMatricesAreThePapers) {
  auto s = nn::make_net_spec("convnet", {3, 32, 32}, 10);
  using P = std::pair<int64_t, int64_t>;
  EXPECT_EQ(shapes(s), (std::vector<P>{{75, 32}, {800, 32}, {800, 64}, {1024, 10}}));
  EXPECT_EQ(s.layer("fc1").decay_mult_weight, 250.0);
}

TEST(NetSpec, MlpParsesWidthsAndChecksTheInput) {
  auto s = nn::make_net_spec("mlp:784-300-100-10", {1, 28, 28}, 10);
  using P = std::pair<int64_t, int64_t>;
  EXPECT_EQ(shapes(s), (std::vector<P>{{784, 300}, {300, 100}, {100, 10}}));
  EXPECT_THROW(nn::make_net_spec("mlp:1024-10", {1, 28, 28}, 10), Error);
  EXPECT_THROW(nn::make_net_spec("mlp:784-x-10", {1, 28, 28}, 10), Error);
  EXPECT_THROW(nn::make_net_spec("mlp:784-300-7", {1, 28, 28}, 10), Error);
  EXPECT_THROW(nn::make_net_spec("resnet1000", {1, 28, 28}, 10), Error);
}

TEST(NetSpec, RankedLayersAndJsonRoundTrip) {
  auto s = nn::make_net_spec("lenet", {1, 28, 28}, 10);
  s.layer("conv2").rank = 12;
  s.layer("fc1").masked = true;
  auto back = nn::net_spec_from_json(nn::to_json(s));
  EXPECT_EQ(nn::to_json(back), nn::to_json(s));
  EXPECT_EQ(back.layer("conv2").rank, 12);
  EXPECT_TRUE(back.layer("fc1").masked);
  EXPECT_THROW(back.layer("conv9"), Error);
}

TEST(NetSpec, KernelLargerThanInputIsRejected) {
  EXPECT_THROW(nn::make_net_spec("lenet", {1, 8, 8}, 10), Error);
}
