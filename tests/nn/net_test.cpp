// Forward shapes, factorised layers, masks and the within-channel LRN.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "nn/lrn_within_channel.hpp"
#include "nn/net.hpp"

using namespace xbarcut;

TEST(Net, OutputShapes) {
  torch::manual_seed(0);
  nn::Net lenet(nn::make_net_spec("lenet", {1, 28, 28}, 10));
  EXPECT_EQ(lenet->forward(torch::randn({3, 1, 28, 28})).sizes(), (std::vector<int64_t>{3, 10}));
  nn::Net convnet(nn::make_net_spec("convnet", {3, 32, 32}, 10));
  convnet->use_channels_last();
  EXPECT_EQ(convnet->forward(torch::randn({2, 3, 32, 32})).sizes(), (std::vector<int64_t>{2, 10}));
  nn::Net mlp(nn::make_net_spec("mlp:784-30-10", {1, 28, 28}, 10));
  EXPECT_EQ(mlp->forward(torch::randn({4, 1, 28, 28})).sizes(), (std::vector<int64_t>{4, 10}));
}

TEST(Net, MatricesUseCrossbarLayout) {
  nn::Net net(nn::make_net_spec("lenet", {1, 28, 28}, 10));
  auto conv2 = net->layer("conv2")->matrices();
  ASSERT_EQ(conv2.size(), 1u);
  EXPECT_EQ(conv2[0].sizes(), (std::vector<int64_t>{500, 50}));
  // Column j of the matrix is filter j flattened as (C_in, k, k).
  auto w = net->layer("conv2")->weights()[0];
  EXPECT_TRUE(torch::equal(conv2[0].select(1, 7), w[7].flatten()));
}

TEST(Net, FullRankFactorisationIsExact) {
  torch::manual_seed(1);
  nn::Net net(nn::make_net_spec("lenet", {1, 28, 28}, 10));
  auto x = torch::randn({5, 1, 28, 28});
  auto before = net->forward(x);
  for (auto& layer : net->weight_layers()) {
    if (net->is_classifier(layer->spec().name)) continue;
    auto w = layer->dense_matrix();
    auto [u, s, vh] = torch::linalg::svd(w, false, c10::nullopt);
    layer->set_matrices({u * s, vh});
    EXPECT_TRUE(layer->factorised());
    EXPECT_EQ(layer->rank(), std::min(w.size(0), w.size(1)));
    EXPECT_EQ(layer->matrix_names()[0], layer->spec().name + "_u");
  }
  auto after = net->forward(x);
  EXPECT_LT((after - before).abs().max().item<double>(), 1e-5);
  // The spec now records the ranks, so a rebuilt net has the same parameter shapes.
  nn::Net rebuilt(net->spec());
  EXPECT_EQ(rebuilt->layer("fc1")->rank(), 500);
  EXPECT_EQ(rebuilt->layer("fc1")->weights()[1].sizes(), (std::vector<int64_t>{500, 500}));
}

TEST(Net, MaskedWeightsStayZero) {
  nn::Net net(nn::make_net_spec("mlp:784-20-10", {1, 28, 28}, 10));
  auto layer = net->layer("fc1");
  auto mask = torch::ones({784, 20});
  mask.slice(0, 0, 100).zero_();
  layer->set_matrix_masks({mask});
  EXPECT_EQ(layer->matrices()[0].slice(0, 0, 100).abs().sum().item<double>(), 0.0);
  {
    torch::NoGradGuard g;
    layer->weights()[0].add_(1.0);
  }
  net->apply_masks();
  EXPECT_EQ(layer->matrices()[0].slice(0, 0, 100).abs().sum().item<double>(), 0.0);
  EXPECT_GT(layer->matrices()[0].slice(0, 100, 784).abs().sum().item<double>(), 0.0);
  EXPECT_TRUE(net->spec().layer("fc1").masked);
}

TEST(Lrn, WithinChannelMatchesTheCaffeFormula) {
  auto x = torch::randn({1, 2, 5, 5});
  auto y = nn::lrn_within_channel(x, 3, 0.5, 0.75);
  // Centre pixel (2,2) of channel 1: its full 3x3 neighbourhood.
  auto patch = x[0][1].slice(0, 1, 4).slice(1, 1, 4);
  const double scale = 1.0 + 0.5 * (patch * patch).sum().item<double>() / 9.0;
  EXPECT_NEAR(y[0][1][2][2].item<double>(), x[0][1][2][2].item<double>() * std::pow(scale, -0.75), 1e-6);
  // Corner (0,0): zero padding, still divided by 9 as Caffe does.
  auto corner = x[0][0].slice(0, 0, 2).slice(1, 0, 2);
  const double cs = 1.0 + 0.5 * (corner * corner).sum().item<double>() / 9.0;
  EXPECT_NEAR(y[0][0][0][0].item<double>(), x[0][0][0][0].item<double>() * std::pow(cs, -0.75), 1e-6);
}
