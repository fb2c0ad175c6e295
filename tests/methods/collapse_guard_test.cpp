// The collapse guard: a dead layer or chance accuracy is refused with one line naming the cause and the remedy;
// a healthy result, or a chance result from a network that was already at chance, passes.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.hpp"
#include "methods/collapse_guard.hpp"

using namespace xbarcut;

namespace {

nn::Net small_net() {
  torch::manual_seed(3);
  return nn::Net(nn::make_net_spec("mlp:16-8-4", {1, 4, 4}, 4));
}

std::string refusal(const nn::Net& net, double accuracy, std::optional<double> baseline) {
  try {
    methods::refuse_collapse(net, accuracy, baseline, 4, "test-method", "Do something else");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(CollapseGuard, HealthyNetworkPasses) {
  auto net = small_net();
  EXPECT_TRUE(methods::dead_layers(net).empty());
  EXPECT_EQ(methods::output_classes(net), 4);
  EXPECT_EQ(refusal(net, 0.9, 0.95), "");
}

TEST(CollapseGuard, DeadLayerIsRefusedByName) {
  auto net = small_net();
  auto fc1 = net->layer("fc1");
  fc1->set_matrices({torch::zeros_like(fc1->matrices()[0])});
  EXPECT_EQ(methods::dead_layers(net), std::vector<std::string>{"fc1"});
  const auto message = refusal(net, 0.9, 0.95);  // even at a good accuracy: a dead layer is never a saving
  EXPECT_NE(message.find("test-method left fc1 with no live weight"), std::string::npos) << message;
  EXPECT_NE(message.find("Do something else"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(CollapseGuard, FactorisedLayerIsDeadWhenOneFactorIs) {
  auto net = small_net();
  auto fc1 = net->layer("fc1");
  const auto w = fc1->matrices()[0];
  fc1->set_matrices({torch::ones({w.size(0), 2}), torch::zeros({2, w.size(1)})});
  EXPECT_EQ(methods::dead_layers(net), std::vector<std::string>{"fc1"});
}

TEST(CollapseGuard, ChanceAccuracyIsRefusedUnlessTheInputWasAtChance) {
  auto net = small_net();
  EXPECT_TRUE(methods::at_chance(0.25, 4));
  EXPECT_TRUE(methods::at_chance(0.27, 4));
  EXPECT_FALSE(methods::at_chance(0.30, 4));
  EXPECT_NE(refusal(net, 0.26, 0.9).find("chance accuracy (0.2600 for 4 classes, from 0.9000)"), std::string::npos);
  EXPECT_NE(refusal(net, 0.26, std::nullopt).find("trained from scratch"), std::string::npos);
  EXPECT_EQ(refusal(net, 0.26, 0.25), "");  // the method did not cause it
  EXPECT_EQ(refusal(net, 0.5, 0.9), "");    // a loss, not a collapse
}
