// Whole-network factorisation (exact at full rank), direct low-rank approximation, and the clipping
// step of Algorithm 2: ranks only go down, outputs move by the error allowed, momentum is projected.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.hpp"
#include "methods/rank_clipping/net_factorisation.hpp"
#include "methods/rank_clipping/rank_clipper.hpp"
#include "train/trainer.hpp"

using namespace xbarcut;

namespace {

nn::Net lenet(uint64_t seed) {
  torch::manual_seed(seed);
  return nn::Net(nn::make_net_spec("lenet", {1, 28, 28}, 10));
}

// Gives `layer` a dense weight of exactly `rank` (plus nothing), so clipping has something to find.
void make_low_rank(nn::Net& net, const std::string& layer, int64_t rank) {
  auto l = net->layer(layer);
  auto w = l->dense_matrix();
  l->set_matrices({torch::mm(torch::randn({w.size(0), rank}), torch::randn({rank, w.size(1)})) * 0.05});
}

}  // namespace

TEST(NetFactorisation, FullRankIsExactAndSkipsTheClassifier) {
  auto net = lenet(1);
  auto x = torch::randn({4, 1, 28, 28});
  auto before = net->forward(x);
  auto layers = methods::factorise_full_rank(net);
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(net->layer("conv1")->rank(), 20);
  EXPECT_EQ(net->layer("conv2")->rank(), 50);
  EXPECT_EQ(net->layer("fc1")->rank(), 500);
  EXPECT_FALSE(net->layer("fc2")->factorised());
  for (const auto& l : layers) EXPECT_LT(l.error, 1e-10) << l.layer;
  EXPECT_LT((net->forward(x) - before).abs().max().item<double>(), 1e-5);
  // Clipping starts dense: a second factorisation is refused.
  EXPECT_THROW(methods::factorise_full_rank(net), Error);
}

TEST(NetFactorisation, DirectLowRankAtEpsAndAtGivenRanks) {
  auto net = lenet(2);
  make_low_rank(net, "fc1", 7);
  auto layers = methods::direct_low_rank(net, 0.03, methods::LraMethod::PcaUncentred);
  for (const auto& l : layers) EXPECT_LE(l.error, 0.03) << l.layer;
  EXPECT_EQ(net->layer("fc1")->rank(), 7);
  // Given ranks win over eps; a factorised layer can go lower but not back up.
  methods::direct_low_rank(net, 0.03, methods::LraMethod::PcaUncentred, {{"conv1", 4}});
  EXPECT_EQ(net->layer("conv1")->rank(), 4);
  EXPECT_THROW(methods::direct_low_rank(net, 0.03, methods::LraMethod::PcaUncentred, {{"conv1", 6}}), Error);
  EXPECT_THROW(methods::direct_low_rank(net, 0.03, methods::LraMethod::PcaUncentred, {{"fc2", 3}}), Error);
  EXPECT_THROW(methods::direct_low_rank(net, 0.03, methods::LraMethod::PcaUncentred, {{"conv2", 51}}), Error);
}

TEST(RankClipping, ClipsToTheHiddenRankAndNeverGoesUp) {
  auto net = lenet(3);
  make_low_rank(net, "conv1", 4);
  make_low_rank(net, "conv2", 9);
  make_low_rank(net, "fc1", 6);
  methods::factorise_full_rank(net);
  auto x = torch::randn({4, 1, 28, 28});
  auto before = net->forward(x);
  methods::RankClippingOptions o;
  o.eps = 0.01;
  auto step = methods::clip_ranks(net, o);
  EXPECT_TRUE(step.changed());
  EXPECT_EQ(net->layer("fc1")->rank(), 6);
  EXPECT_EQ(net->layer("conv2")->rank(), 9);
  EXPECT_EQ(net->layer("conv1")->rank(), 4);
  EXPECT_EQ(step.ranks().at("fc1"), 6);
  // The layers had exactly these ranks, so the function is unchanged.
  EXPECT_LT((net->forward(x) - before).abs().max().item<double>(), 1e-4);
  for (const auto& l : step.layers) EXPECT_LE(l.error, 0.01) << l.layer;
  // A stricter eps afterwards cannot raise a rank.
  o.eps = 1e-6;
  auto again = methods::clip_ranks(net, o);
  EXPECT_FALSE(again.changed());
  EXPECT_EQ(net->layer("fc1")->rank(), 6);
  // A looser eps lowers a rank further and changes W by at most about eps.
  o.eps = 0.3;
  auto loose = methods::clip_ranks(net, o);
  EXPECT_TRUE(loose.changed());
  for (const auto& l : loose.layers) {
    EXPECT_LE(l.rank_after, l.rank_before);
    EXPECT_LE(l.dense_error, 0.3 * 1.5) << l.layer;
  }
}

TEST(RankClipping, MomentumIsProjectedWithTheWeights) {
  auto net = lenet(4);
  make_low_rank(net, "fc1", 5);
  methods::factorise_full_rank(net);
  train::SolverOptions so;
  train::SgdSolver solver(train::param_groups(net), so);
  // `loss` (and with it the old-shape autograd graph) stays alive across the clip, as in the Trainer's loop.
  auto loss = net->forward(torch::randn({8, 1, 28, 28})).pow(2).mean();
  loss.backward();
  solver.step(0);
  const auto fc1 = net->layer("fc1");
  const auto u_old = fc1->matrices()[0];
  const auto hu_old = solver.history("fc1.weight").t();    // N x K (linear: [K, N] in module layout)
  const auto hv_old = solver.history("fc1.weight_v").t();  // K x M
  ASSERT_GT(hu_old.abs().sum().item<double>(), 0);
  methods::RankClippingOptions o;
  o.eps = 0.01;
  const auto expected = methods::approximate(u_old, o.eps, o.method);
  methods::clip_ranks(net, o, &solver);
  ASSERT_EQ(fc1->rank(), 5);
  const auto hu = solver.history("fc1.weight").t();
  const auto hv = solver.history("fc1.weight_v").t();
  EXPECT_EQ(hu.sizes(), (std::vector<int64_t>{800, 5}));
  EXPECT_TRUE(torch::allclose(hu, torch::mm(hu_old, expected.vt.t()), 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(hv, torch::mm(expected.vt, hv_old), 1e-5, 1e-6));
  // The solver is bound to the new parameters: the next step runs and moves them.
  auto before = fc1->matrices()[0].clone();
  solver.zero_grad();
  net->forward(torch::randn({8, 1, 28, 28})).pow(2).mean().backward();
  solver.step(1);
  EXPECT_FALSE(torch::equal(before, fc1->matrices()[0]));
}

TEST(RankClipping, HookRunsEveryIntervalButNotAtTheEnd) {
  EXPECT_TRUE(methods::clip_due(500, 500, 10000));
  EXPECT_FALSE(methods::clip_due(499, 500, 10000));
  EXPECT_FALSE(methods::clip_due(10000, 500, 10000));
  torch::manual_seed(6);
  auto net = nn::Net(nn::make_net_spec("mlp:64-32-16-3", {1, 8, 8}, 3));
  make_low_rank(net, "fc1", 3);
  methods::factorise_full_rank(net);
  auto labels = torch::randint(3, {256}, torch::kInt64);
  train::TensorDataset data{torch::eye(3, 64).index_select(0, labels).reshape({256, 1, 8, 8}) * 3 +
                                torch::randn({256, 1, 8, 8}),
                            labels};
  train::SolverOptions so;
  so.max_iter = 40;
  so.batch = 16;
  so.display = 0;
  so.test_interval = 0;
  so.checkpoint_every = 0;
  methods::RankClippingOptions o;
  o.eps = 0.05;
  o.interval = 10;
  std::vector<methods::ClipStep> steps;
  train::Trainer* trainer_ptr = nullptr;
  train::TrainHooks hooks;
  hooks.after_step = methods::clipping_hook(o, so.max_iter, &trainer_ptr,
                                            [&](const methods::ClipStep& s) { steps.push_back(s); });
  train::Trainer trainer(net, so, data, data, {}, "", hooks);
  trainer_ptr = &trainer;
  trainer.run();
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].iter, 10);
  EXPECT_EQ(steps[2].iter, 30);
  EXPECT_LE(steps[0].ranks().at("fc1"), 3);
  for (size_t i = 1; i < steps.size(); ++i)
    for (const auto& [layer, rank] : steps[i].ranks()) EXPECT_LE(rank, steps[i - 1].ranks().at(layer)) << layer;
}

TEST(RankClipping, OptionsAreValidated) {
  methods::RankClippingOptions o;
  o.eps = 0;
  EXPECT_THROW(methods::validate(o), Error);
  o.eps = 1;
  EXPECT_THROW(methods::validate(o), Error);
  o.eps = 0.03;
  o.interval = 0;
  EXPECT_THROW(methods::validate(o), Error);
  o.interval = 500;
  EXPECT_NO_THROW(methods::validate(o));
}
