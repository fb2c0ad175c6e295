// Caffe's SGD update computed by hand for two steps.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "train/sgd_solver.hpp"

using namespace xbarcut::train;

TEST(SgdSolver, MatchesCaffeUpdateWithMultipliers) {
  SolverOptions o;
  o.base_lr = 0.1;
  o.lr_policy = "fixed";
  o.momentum = 0.9;
  o.weight_decay = 0.01;
  auto w = torch::tensor({1.0f, -2.0f}).requires_grad_();
  SgdSolver solver({{"w", w, 2.0, 0.5}}, o);
  w.mutable_grad() = torch::tensor({0.5f, 0.5f});
  solver.step(0);
  // v1 = lr*lr_mult*(g + wd*decay_mult*w) = 0.2*(0.5 + 0.005*w)
  const double v1a = 0.2 * (0.5 + 0.005 * 1.0), v1b = 0.2 * (0.5 + 0.005 * -2.0);
  EXPECT_NEAR(w[0].item<double>(), 1.0 - v1a, 1e-6);
  EXPECT_NEAR(w[1].item<double>(), -2.0 - v1b, 1e-6);
  const double w1a = 1.0 - v1a;
  w.mutable_grad() = torch::tensor({0.5f, 0.5f});
  solver.step(1);
  const double v2a = 0.9 * v1a + 0.2 * (0.5 + 0.005 * w1a);
  EXPECT_NEAR(w[0].item<double>(), w1a - v2a, 1e-6);
}

TEST(SgdSolver, RebindKeepsMatchingHistory) {
  SolverOptions o;
  o.lr_policy = "fixed";
  auto a = torch::ones({2}).requires_grad_();
  auto b = torch::ones({3}).requires_grad_();
  SgdSolver solver({{"a", a}, {"b", b}}, o);
  a.mutable_grad() = torch::ones({2});
  b.mutable_grad() = torch::ones({3});
  solver.step(0);
  auto c = torch::ones({4}).requires_grad_();
  solver.rebind({{"a", a}, {"b", c}});
  EXPECT_GT(solver.history("a").abs().sum().item<double>(), 0.0);
  EXPECT_EQ(solver.history("b").abs().sum().item<double>(), 0.0);  // shape changed: fresh history
}
