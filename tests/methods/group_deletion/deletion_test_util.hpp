// Small problems for the group-deletion tests: a separable blob dataset shaped as images, a tiny MLP, and
// hardware options with 8 x 8 crossbars so its 64 x 16 matrix needs 8 x 2 of them.
#pragma once
#include <torch/torch.h>

#include "hw/network_cost.hpp"
#include "nn/net.hpp"
#include "train/solver_options.hpp"
#include "train/tensor_dataset.hpp"

namespace xbarcut::test {

// Four Gaussian blobs in 64 dimensions whose class signal sits in the first 16 inputs only, so the other
// input rows carry nothing and group Lasso can delete them.
inline train::TensorDataset signal_blobs(int64_t n, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  auto labels = torch::randint(4, {n}, gen, torch::kInt64);
  auto centres = torch::zeros({4, 64});
  centres.slice(1, 0, 16).copy_(torch::eye(4, 16) * 3.0);
  auto x = centres.index_select(0, labels) + torch::randn({n, 64}, gen);
  return {x.reshape({n, 1, 8, 8}), labels};
}

inline nn::Net tiny_net(int64_t seed = 3) {
  torch::manual_seed(seed);
  return nn::Net(nn::make_net_spec("mlp:64-16-4", {1, 8, 8}, 4));
}

inline hw::HardwareOptions small_crossbars() {
  hw::HardwareOptions o;
  o.xbar = {8, 8};
  return o;
}

inline train::SolverOptions quick_solver(int64_t iters) {
  train::SolverOptions o;
  o.base_lr = 0.05;
  o.lr_policy = "fixed";
  o.max_iter = iters;
  o.batch = 32;
  o.display = 0;
  o.test_interval = 0;
  o.checkpoint_every = 0;
  o.seed = 5;
  return o;
}

}  // namespace xbarcut::test
