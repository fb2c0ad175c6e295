// Learning rate at an iteration, exactly as Caffe computes it.
#include "train/lr_policy.hpp"

#include <algorithm>
#include <cmath>

namespace xbarcut::train {

double learning_rate(const SolverOptions& o, int64_t iter) {
  const double it = static_cast<double>(iter);
  const auto& p = o.lr_policy;
  if (p == "fixed") return o.base_lr;
  if (p == "step") return o.base_lr * std::pow(o.gamma, std::floor(it / static_cast<double>(o.stepsize)));
  if (p == "multistep") {
    const auto passed = std::count_if(o.stepvalues.begin(), o.stepvalues.end(), [&](int64_t s) { return iter >= s; });
    return o.base_lr * std::pow(o.gamma, static_cast<double>(passed));
  }
  if (p == "inv") return o.base_lr * std::pow(1.0 + o.gamma * it, -o.power);
  if (p == "exp") return o.base_lr * std::pow(o.gamma, it);
  if (p == "poly") return o.base_lr * std::pow(1.0 - it / static_cast<double>(o.max_iter), o.power);
  if (p == "cosine") return 0.5 * o.base_lr * (1.0 + std::cos(M_PI * std::min(1.0, it / static_cast<double>(o.max_iter))));
  return o.base_lr;
}

}  // namespace xbarcut::train
