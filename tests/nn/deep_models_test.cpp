// VGG8 / VGG16 / ResNet20 / ResNet18: shapes, forward passes, bn folding, JSON and checkpoint round trips.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "common/error.hpp"
#include "hw/network_cost.hpp"
#include "nn/batch_norm_fold.hpp"
#include "nn/crossbar_view.hpp"
#include "nn/net.hpp"
#include "train/checkpoint.hpp"
#include "random_batch_norms.hpp"

using namespace xbarcut;
using xbarcut::test_support::randomise_batch_norms;

namespace {
using P = std::pair<int64_t, int64_t>;
std::vector<P> shapes(const nn::NetSpec& s) {
  std::vector<P> out;
  for (const auto& g : nn::layer_geometry(s)) out.emplace_back(g.rows, g.cols);
  return out;
}

}  // namespace

TEST(DeepModels, Vgg8MatricesAndOutput) {
  auto s = nn::make_net_spec("vgg8", {3, 32, 32}, 10);
  EXPECT_EQ(shapes(s), (std::vector<P>{{27, 128}, {1152, 128}, {1152, 256}, {2304, 256}, {2304, 512}, {4608, 512},
                                       {8192, 1024}, {1024, 10}}));
  EXPECT_EQ(s.weight_layer_names().back(), "fc2");
  EXPECT_FALSE(s.layer("conv1").bias);
  EXPECT_EQ(s.batch_norm_after(0), 1);
  torch::manual_seed(0);
  nn::Net net(s);
  net->use_channels_last();
  EXPECT_EQ(net->forward(torch::randn({2, 3, 32, 32})).sizes(), (std::vector<int64_t>{2, 10}));
  EXPECT_EQ(net->batch_norms().size(), 6u);
}

TEST(DeepModels, Vgg8WidthMultiplier) {
  auto s = nn::make_net_spec("vgg8:0.25", {3, 32, 32}, 10);
  EXPECT_EQ(shapes(s), (std::vector<P>{{27, 32}, {288, 32}, {288, 64}, {576, 64}, {576, 128}, {1152, 128},
                                       {2048, 256}, {256, 10}}));
  EXPECT_THROW(nn::make_net_spec("vgg8:0", {3, 32, 32}, 10), Error);
  EXPECT_THROW(nn::make_net_spec("vgg8:x", {3, 32, 32}, 10), Error);
}

TEST(DeepModels, ImageNetShapesAndCrossbarCounts) {
  auto vgg16 = nn::make_net_spec("vgg16", {3, 224, 224}, 1000);
  auto g = nn::layer_geometry(vgg16);
  ASSERT_EQ(g.size(), 16u);
  EXPECT_EQ(P(g[13].rows, g[13].cols), P(25088, 4096));
  EXPECT_EQ(g[0].uses, 224 * 224);
  auto r18 = nn::make_net_spec("resnet18", {3, 224, 224}, 1000);
  auto rg = nn::layer_geometry(r18);
  ASSERT_EQ(rg.size(), 21u);  // 1 stem + 16 block convs + 3 projections + fc
  EXPECT_EQ(P(rg[0].rows, rg[0].cols), P(147, 64));
  EXPECT_EQ(rg[0].uses, 112 * 112);
  EXPECT_EQ(rg[1].uses, 56 * 56);  // after the 3x3 stride-2 max pool
  EXPECT_EQ(P(rg.back().rows, rg.back().cols), P(512, 1000));
  // VGG8 on 256x256 fixed crossbars: 1 + 5 + 5 + 9 + 18 + 36 + 128 + 4 (counted by hand).
  hw::HardwareOptions o;
  o.xbar = {256, 256};
  o.policy = hw::TilingPolicy::Fixed;
  auto vgg8 = nn::original_matrices(nn::make_net_spec("vgg8", {3, 32, 32}, 10));
  EXPECT_EQ(hw::cost_network(vgg8, vgg8, o).total.crossbars, 206);
}

TEST(DeepModels, ResNet20ShapesAndOutput) {
  auto s = nn::make_net_spec("resnet20", {3, 32, 32}, 10);
  auto g = nn::layer_geometry(s);
  ASSERT_EQ(g.size(), 22u);  // 1 + 18 + 2 projections + fc
  EXPECT_EQ(P(g[0].rows, g[0].cols), P(27, 16));
  EXPECT_EQ(P(g.back().rows, g.back().cols), P(64, 10));
  EXPECT_TRUE(s.has_residual());
  torch::manual_seed(1);
  nn::Net net(s);
  EXPECT_EQ(net->forward(torch::randn({2, 3, 32, 32})).sizes(), (std::vector<int64_t>{2, 10}));
}

TEST(DeepModels, BadResidualStructureIsRejected) {
  auto s = nn::make_net_spec("resnet20", {3, 32, 32}, 10);
  auto unclosed = s;
  for (size_t i = 0; i < unclosed.layers.size(); ++i)
    if (unclosed.layers[i].kind == "res_add") {
      unclosed.layers.erase(unclosed.layers.begin() + static_cast<long>(i));
      break;
    }
  EXPECT_THROW(nn::layer_geometry(unclosed), Error);
  auto wrong_bn = s;
  wrong_bn.layers[1].out = 17;
  EXPECT_THROW(nn::layer_geometry(wrong_bn), Error);
}

TEST(DeepModels, JsonRoundTripKeepsBnAndBlocks) {
  for (const char* model : {"vgg8:0.25", "resnet20"}) {
    auto s = nn::make_net_spec(model, {3, 32, 32}, 10);
    auto back = nn::net_spec_from_json(nn::to_json(s));
    EXPECT_EQ(nn::to_json(back), nn::to_json(s)) << model;
    EXPECT_EQ(shapes(back), shapes(s)) << model;
  }
}

TEST(DeepModels, FoldedBatchNormEqualsTheOriginalInEvalMode) {
  for (const char* model : {"vgg8:0.25", "resnet20"}) {
    torch::manual_seed(2);
    nn::Net net(nn::make_net_spec(model, {3, 32, 32}, 10));
    randomise_batch_norms(net);
    net->eval();
    auto x = torch::randn({3, 3, 32, 32});
    auto folded = nn::fold_batch_norm(net);
    EXPECT_TRUE(folded->batch_norms().empty());
    auto a = net->forward(x), b = folded->forward(x);
    EXPECT_TRUE(torch::allclose(a, b, 1e-4, 1e-4)) << model << " max diff " << (a - b).abs().max().item<float>();
    // The mapped matrices are the folded ones: column j of conv1 scaled by bn's gamma_j / sigma_j.
    auto mats = nn::network_matrices(net);
    auto [scale, shift] = nn::batch_norm_affine(net->batch_norm_of(0));
    auto expected = net->weight_layers()[0]->matrices()[0] * scale.unsqueeze(0);
    EXPECT_NEAR(mats[0].values[5], expected.flatten()[5].item<float>(), 1e-6);
  }
}

TEST(DeepModels, CheckpointRoundTripWithBatchNorm) {
  torch::manual_seed(3);
  nn::Net net(nn::make_net_spec("resnet20", {3, 32, 32}, 10));
  randomise_batch_norms(net);
  net->eval();
  const auto path = (std::filesystem::temp_directory_path() / "xbarcut_resnet20_ckpt.pt").string();
  train::Checkpoint ckpt;
  ckpt.net = net;
  train::save_checkpoint(path, ckpt);
  auto back = train::load_checkpoint(path);
  back.net->eval();
  auto x = torch::randn({2, 3, 32, 32});
  EXPECT_TRUE(torch::allclose(net->forward(x), back.net->forward(x)));
  std::filesystem::remove(path);
}
