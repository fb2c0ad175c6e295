// Magnitude pruning through the layers' masks: the threshold keeps exactly what it should, a sparsity
// target is met, and pruned weights stay exactly zero while the net retrains.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "methods/magnitude_pruning/magnitude_pruning.hpp"
#include "train/trainer.hpp"

using namespace xbarcut;

namespace {

train::TensorDataset blobs(int64_t n, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  auto labels = torch::randint(3, {n}, gen, torch::kInt64);
  auto x = (torch::eye(3, 64) * 3.0).index_select(0, labels) + torch::randn({n, 64}, gen);
  return {x.reshape({n, 1, 8, 8}), labels};
}

nn::Net small_net() {
  torch::manual_seed(3);
  return nn::Net(nn::make_net_spec("mlp:64-32-3", {1, 8, 8}, 3));
}

}  // namespace

TEST(MagnitudePruning, SparsityTargetIsMetPerLayer) {
  auto net = small_net();
  methods::ensure_masks(net);
  for (auto& layer : net->weight_layers()) {
    const double t = methods::sparsity_threshold(layer, 0.75);
    methods::set_mask(layer, methods::magnitude_mask(layer, t));
  }
  EXPECT_NEAR(methods::sparsity(net, {"fc1"}), 0.75, 1.0 / (64 * 32));
  EXPECT_NEAR(methods::sparsity(net, {"fc2"}), 0.75, 1.0 / (32 * 3));
  // The survivors are the largest weights: none below the smallest kept one.
  const auto m = net->layer("fc1")->matrices()[0];
  const double smallest_kept = m.abs().masked_select(m.ne(0)).min().item<double>();
  EXPECT_EQ(m.abs().lt(smallest_kept).logical_and(m.ne(0)).sum().item<int64_t>(), 0);
}

TEST(MagnitudePruning, PrunedWeightsStayExactlyZeroDuringRetraining) {
  auto net = small_net();
  methods::ensure_masks(net);
  auto layer = net->layer("fc1");
  methods::set_mask(layer, methods::magnitude_mask(layer, 1.0 * methods::weight_std(layer)));
  const hw::ConnectivityMask before = methods::connectivity(layer);
  ASSERT_GT(before.count(), 0);
  ASSERT_LT(before.count(), 64 * 32);
  train::SolverOptions o;
  o.base_lr = 0.05;
  o.max_iter = 60;
  o.batch = 16;
  o.display = 0;
  o.test_interval = 0;
  o.checkpoint_every = 0;
  auto data = blobs(400, 1);
  train::Trainer trainer(net, o, data, data, {}, "");
  const auto result = trainer.run();
  const hw::ConnectivityMask after = methods::connectivity(layer);
  for (size_t i = 0; i < before.bits.size(); ++i)
    if (!before.bits[i]) ASSERT_EQ(after.bits[i], 0) << "a pruned weight came back at " << i;
  EXPECT_GT(result.accuracy, 0.8);
}

TEST(MagnitudePruning, ConnectivityRoundTripsThroughMasks) {
  auto net = small_net();
  methods::ensure_masks(net);
  auto layer = net->layer("fc2");
  hw::ConnectivityMask m(32, 3);
  m.set(0, 0, true);
  m.set(31, 2, true);
  methods::set_mask(layer, m);
  EXPECT_EQ(methods::connectivity(layer).bits, m.bits);
  EXPECT_EQ(methods::to_tensor(m).sum().item<double>(), 2.0);
}
