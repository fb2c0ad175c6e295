// Test helper: non-trivial eval statistics in every bn, so folding and pruning have something to see.
#pragma once
#include <torch/torch.h>

#include "nn/net.hpp"

namespace xbarcut::test_support {

inline void randomise_batch_norms(nn::Net& net) {
  torch::NoGradGuard guard;
  for (auto& [name, bn] : net->batch_norms()) {
    bn->weight.uniform_(0.5, 1.5);
    bn->bias.uniform_(-0.3, 0.3);
    bn->running_mean.uniform_(-0.2, 0.2);
    bn->running_var.uniform_(0.5, 2.0);
  }
}

}  // namespace xbarcut::test_support
