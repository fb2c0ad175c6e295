// Learning-rate policies against values computed by hand from Caffe's formulas.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "train/lr_policy.hpp"
#include "train/policy_gamma.hpp"

using namespace xbarcut::train;

TEST(LrPolicy, CaffeLeNetInv) {
  SolverOptions o;  // lenet defaults: 0.01, inv, gamma 1e-4, power 0.75
  EXPECT_DOUBLE_EQ(learning_rate(o, 0), 0.01);
  EXPECT_NEAR(learning_rate(o, 10000), 0.01 * std::pow(2.0, -0.75), 1e-12);
}

TEST(LrPolicy, StepMultistepAndCosine) {
  SolverOptions o;
  o.base_lr = 0.1;
  o.gamma = 0.1;
  o.lr_policy = "step";
  o.stepsize = 100;
  EXPECT_NEAR(learning_rate(o, 99), 0.1, 1e-12);
  EXPECT_NEAR(learning_rate(o, 250), 0.001, 1e-12);
  o.lr_policy = "multistep";
  o.stepvalues = {10, 30};
  EXPECT_NEAR(learning_rate(o, 9), 0.1, 1e-12);
  EXPECT_NEAR(learning_rate(o, 10), 0.01, 1e-12);
  EXPECT_NEAR(learning_rate(o, 31), 0.001, 1e-12);
  o.lr_policy = "cosine";
  o.max_iter = 100;
  EXPECT_NEAR(learning_rate(o, 50), 0.05, 1e-12);
  EXPECT_NEAR(learning_rate(o, 100), 0.0, 1e-12);
}

TEST(SolverOptions, ImpossibleSettingsAreRejected) {
  SolverOptions o;
  EXPECT_NO_THROW(validate(o));
  auto bad = [](auto change) {
    SolverOptions s;
    change(s);
    EXPECT_THROW(validate(s), xbarcut::Error);
  };
  bad([](SolverOptions& s) { s.batch = 0; });
  bad([](SolverOptions& s) { s.base_lr = -0.1; });
  bad([](SolverOptions& s) { s.momentum = 1.0; });
  bad([](SolverOptions& s) { s.lr_policy = "warp"; });
  bad([](SolverOptions& s) { s.lr_policy = "multistep"; });
  bad([](SolverOptions& s) { s.lr_policy = "step"; });
  bad([](SolverOptions& s) { s.max_iter = 0; });
  EXPECT_EQ(default_solver("convnet").batch, 100);
  EXPECT_EQ(default_solver("convnet").weight_decay, 0.004);
}

TEST(LrPolicy, ChangingThePolicyBringsItsOwnGamma) {
  SolverOptions o;  // LeNet: inv with gamma 1e-4
  change_lr_policy(o, "multistep");
  EXPECT_EQ(o.lr_policy, "multistep");
  EXPECT_DOUBLE_EQ(o.gamma, 0.1);  // not inv's 1e-4, which would cut the rate 10,000-fold at the first step
  o.gamma = 0.5;                   // an explicit gamma set afterwards is kept
  change_lr_policy(o, "multistep");
  EXPECT_DOUBLE_EQ(o.gamma, 0.5);
  change_lr_policy(o, "inv");
  EXPECT_DOUBLE_EQ(o.gamma, 1e-4);
  change_lr_policy(o, "cosine");  // gamma unused
  EXPECT_EQ(o.lr_policy, "cosine");
}
