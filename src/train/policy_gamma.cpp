#include "train/policy_gamma.hpp"

namespace xbarcut::train {

void change_lr_policy(SolverOptions& o, const std::string& policy) {
  if (policy == o.lr_policy) return;
  o.lr_policy = policy;
  if (policy == "step" || policy == "multistep") o.gamma = 0.1;
  if (policy == "inv") o.gamma = 1e-4;
  if (policy == "exp") o.gamma = 0.9999;
}

}  // namespace xbarcut::train
