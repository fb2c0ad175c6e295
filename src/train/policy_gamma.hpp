// The gamma that goes with a learning-rate policy, for when a user changes the policy but not gamma.
#pragma once
#include <string>

#include "train/solver_options.hpp"

namespace xbarcut::train {

// Sets o.lr_policy = policy. When that changes the policy, gamma becomes the new policy's usual value
// (step / multistep 0.1, inv 1e-4 as Caffe's LeNet, exp 0.9999): a model's default gamma belongs to its default
// policy (LeNet's inv 1e-4 used as a multistep factor would cut the rate 10,000-fold at the first step).
// Call it before applying an explicit --gamma.
void change_lr_policy(SolverOptions& o, const std::string& policy);

}  // namespace xbarcut::train
