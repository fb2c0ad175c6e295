// LGD/RPP on a real (small) network: layer choice, budgets met at both grains, determinism, packed outputs
// equal to the pruned layer, and the input reorder leaving the function unchanged.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.hpp"
#include "methods/crossbar_aware_pruning/crossbar_count.hpp"
#include "methods/crossbar_aware_pruning/crossbar_pruner.hpp"
#include "methods/crossbar_aware_pruning/input_reorder.hpp"
#include "methods/crossbar_aware_pruning/output_recombination.hpp"
#include "../../nn/random_batch_norms.hpp"
#include "pruning_test_util.hpp"

using namespace xbarcut;
using namespace xbarcut::methods::xbprune;

namespace {

nn::Net small_vgg(uint64_t seed) {
  torch::manual_seed(seed);
  nn::Net net(nn::make_net_spec("vgg8:0.25", {3, 32, 32}, 10));
  xbarcut::test_support::randomise_batch_norms(net);
  return net;
}

PruneOptions options(Grain grain, double keep) {
  PruneOptions o;
  o.grain = grain;
  o.keep_ratio = keep;
  o.seed = 5;
  o.budget = Budget::Layer;  // the paper's per-layer budget; the global one has a test of its own
  o.ramp = 1.0;
  return o;
}

}  // namespace

TEST(CrossbarPruner, PicksMultiCrossbarLayersButNotTheClassifier) {
  auto net = small_vgg(1);
  CrossbarPruner p(net, test::fixed_crossbars(64), options(Grain::Crossbar, 0.3));
  std::vector<std::string> names;
  for (const auto& l : p.layers()) names.push_back(l.name);
  // conv1 (27 x 32) fits one crossbar; fc2 is the classifier.
  EXPECT_EQ(names, (std::vector<std::string>{"conv2", "conv3", "conv4", "conv5", "conv6", "fc1"}));
  EXPECT_EQ(p.layers()[5].tiling.crossbars(), 32 * 4);  // fc1: 2048 x 256
  EXPECT_EQ(p.layers()[5].budget, 38);                  // round(0.3 * 128)
  auto big = options(Grain::Crossbar, 0.3);
  big.min_crossbars = 1000;
  EXPECT_THROW(CrossbarPruner(net, test::fixed_crossbars(64), big), Error);
}

TEST(CrossbarPruner, BudgetsAreMetAtBothGrains) {
  for (Grain grain : {Grain::Crossbar, Grain::Column}) {
    auto net = small_vgg(2);
    CrossbarPruner p(net, test::fixed_crossbars(64), options(grain, 0.4));
    for (int64_t k = 1; k <= 3; ++k) p.project(k, 4);
    p.finalize();
    const auto counts = count_crossbars(net, test::fixed_crossbars(64), grain);
    int64_t now = 0, original = 0;
    for (const auto& l : p.layers()) {
      const auto& c = counts[l.weight_index];
      EXPECT_LE(c.now, l.budget) << l.name << " " << to_string(grain);
      EXPECT_GE(c.now, 1) << l.name;
      EXPECT_TRUE(net->weight_layers()[l.weight_index]->has_masks());
      now += c.now;
      original += c.original;
    }
    EXPECT_LT(static_cast<double>(now) / static_cast<double>(original), 0.45);
    EXPECT_LT(crossbar_ratio(counts), 1.0);
    EXPECT_EQ(counts[0].now, counts[0].original);  // conv1 untouched
  }
}

TEST(CrossbarPruner, GlobalBudgetIsMetTogetherAndEveryLayerKeepsACrossbar) {
  for (Grain grain : {Grain::Crossbar, Grain::Column}) {
    auto net = small_vgg(2);
    auto o = options(grain, 0.2);
    o.budget = Budget::Global;
    o.ramp = 0.5;
    CrossbarPruner p(net, test::fixed_crossbars(64), o);
    int64_t pruned_original = 0;
    for (const auto& l : p.layers()) pruned_original += l.tiling.crossbars();
    EXPECT_EQ(p.budget_crossbars(), std::llround(0.2 * static_cast<double>(pruned_original)));
    for (int64_t k = 1; k <= 3; ++k) p.project(k, 4);
    p.finalize();
    const auto counts = count_crossbars(net, test::fixed_crossbars(64), grain);
    int64_t now = 0;
    bool some_layer_below_its_share = false, some_layer_above_its_share = false;
    for (const auto& l : p.layers()) {
      const auto& c = counts[l.weight_index];
      EXPECT_GE(c.now, 1) << l.name << " " << to_string(grain);
      now += c.now;
      const double share = static_cast<double>(c.now) / static_cast<double>(c.original);
      some_layer_below_its_share |= share < 0.15;
      some_layer_above_its_share |= share > 0.25;
    }
    EXPECT_LE(now, p.budget_crossbars()) << to_string(grain);
    // The layers do not all keep the same share: that is what a global budget is for.
    EXPECT_TRUE(some_layer_below_its_share && some_layer_above_its_share) << to_string(grain);
  }
}

TEST(CrossbarPruner, DeterministicForASeed) {
  auto run = [](uint64_t seed) {
    auto net = small_vgg(3);
    auto o = options(Grain::Column, 0.5);
    o.seed = seed;
    CrossbarPruner p(net, test::fixed_crossbars(64), o);
    p.project(1, 3);
    p.project(2, 3);
    return net->layer("conv6")->matrices()[0];
  };
  auto a = run(11), b = run(11), c = run(12);
  EXPECT_TRUE(torch::equal(a, b));
  EXPECT_FALSE(torch::equal(a, c));  // relaxed projections differ with the seed
}

TEST(OutputRecombination, PackedCrossbarsComputeEveryPrunedLayer) {
  auto net = small_vgg(4);
  CrossbarPruner p(net, test::fixed_crossbars(64), options(Grain::Column, 0.4));
  p.finalize();
  torch::NoGradGuard guard;
  int64_t packed_total = 0, grid_total = 0;
  for (const auto& pl : p.layers()) {
    auto layer = net->weight_layers()[pl.weight_index];
    const auto& spec = layer->spec();
    const auto w = layer->matrices()[0];  // N x M, pruned columns exactly zero
    const auto packed = pack_matrix(w, pl.tiling);
    EXPECT_LE(packed.packing.count(), pl.budget) << spec.name;
    packed_total += packed.packing.count();
    grid_total += pl.tiling.crossbars();
    // Every packed crossbar is full except at most the last of its row block.
    for (size_t i = 0; i + 1 < packed.packing.crossbars.size(); ++i)
      if (packed.packing.crossbars[i].row_block == packed.packing.crossbars[i + 1].row_block)
        EXPECT_EQ(packed.packing.crossbars[i].columns.size(), 64u) << spec.name;
    // The layer computed through (im2col +) packed crossbars + output routing equals the pruned layer.
    torch::Tensor x, expected, y;
    if (spec.kind == "conv") {
      const int64_t hw = 4;
      x = torch::randn({2, layer->in_channels(), hw, hw});
      expected = layer->forward(x);  // bias-free (bn follows)
      auto cols = torch::nn::functional::unfold(
          x, torch::nn::functional::UnfoldFuncOptions({spec.kernel, spec.kernel}).padding(spec.pad).stride(spec.stride));
      auto patches = cols.transpose(1, 2).reshape({-1, w.size(0)});
      y = packed_forward(packed, patches).reshape({2, hw * hw, w.size(1)}).transpose(1, 2).reshape(expected.sizes());
    } else {
      x = torch::randn({3, w.size(0)});
      expected = layer->forward(x);
      y = packed_forward(packed, x) + layer->bias();
    }
    EXPECT_TRUE(torch::allclose(y, expected, 1e-4, 1e-4)) << spec.name << " " << (y - expected).abs().max().item<float>();
  }
  EXPECT_LT(packed_total, grid_total);
}

TEST(InputReorder, LeavesTheUnprunedNetworkUnchanged) {
  auto net = small_vgg(5);
  net->eval();
  torch::NoGradGuard guard;
  auto x = torch::randn({3, 3, 32, 32});
  auto before = net->forward(x);
  auto orders = reorder_input_channels(net, {1, 2, 3, 4, 5, 6});
  ASSERT_EQ(orders.size(), 6u);
  auto after = net->forward(x);
  EXPECT_TRUE(torch::allclose(before, after, 1e-4, 1e-5)) << (before - after).abs().max().item<float>();
  // The permutation really moved channels, and the consumer's channels now come in falling importance.
  bool moved = false;
  for (size_t i = 0; i < orders[4].order.size(); ++i) moved |= orders[4].order[i] != static_cast<int64_t>(i);
  EXPECT_TRUE(moved);
  auto m = net->layer("conv6")->matrices()[0];  // 128 input channels x 9 rows each
  auto importance = (m * m).reshape({128, -1}).sum(1);
  EXPECT_TRUE(torch::all(importance.slice(0, 0, 127) >= importance.slice(0, 1, 128)).item<bool>());
  // fc1 reads conv6's channels through flatten: blocks of 4 x 4 inputs move together.
  auto f = net->layer("fc1")->matrices()[0];
  auto fimp = (f * f).reshape({128, -1}).sum(1);
  EXPECT_TRUE(torch::all(fimp.slice(0, 0, 127) >= fimp.slice(0, 1, 128)).item<bool>());
}

TEST(InputReorder, ResidualNetsAreRefused) {
  torch::manual_seed(6);
  nn::Net net(nn::make_net_spec("resnet20", {3, 32, 32}, 10));
  EXPECT_THROW(reorder_input_channels(net, {1}), Error);
}

TEST(CrossbarPruner, ResNetLayersArePrunedAndTheNetStillRuns) {
  torch::manual_seed(7);
  nn::Net net(nn::make_net_spec("resnet20", {3, 32, 32}, 10));
  xbarcut::test_support::randomise_batch_norms(net);
  hw::HardwareOptions o;
  o.xbar = {32, 32};
  o.policy = hw::TilingPolicy::Fixed;
  CrossbarPruner p(net, o, options(Grain::Column, 0.5));
  EXPECT_GT(p.layers().size(), 15u);  // the 3x3 convs of every block; not conv1 (27 x 16), not the classifier
  p.finalize();
  const auto counts = count_crossbars(net, o, Grain::Column);
  for (const auto& l : p.layers()) EXPECT_LE(counts[l.weight_index].now, l.budget) << l.name;
  EXPECT_LT(crossbar_ratio(counts), 0.6);
  net->eval();
  torch::NoGradGuard guard;
  auto y = net->forward(torch::randn({2, 3, 32, 32}));
  EXPECT_TRUE(torch::isfinite(y).all().item<bool>());
}
