// The group-Lasso regulariser of group connection deletion (Group Scissor, eq. 4-6) on every crossbar matrix
// that needs more than one crossbar: its gradient is added after backward, small weights are zeroed after each step.
#pragma once
#include <torch/torch.h>

#include <map>
#include <string>

#include "hw/network_cost.hpp"
#include "methods/group_deletion/crossbar_groups.hpp"
#include "nn/net.hpp"

namespace xbarcut::methods {

// How the regulariser enters training. subgradient: eq. 6, lambda * w / ||group|| added to the gradient (the
// paper; a group only reaches zero through zero_threshold). proximal: after each solver step every group is
// shrunk by lr * lambda (group soft-thresholding), which makes a group exactly zero once the data gradient
// can no longer hold it up.
enum class LassoStep { Subgradient, Proximal };
// "subgradient" | "proximal"; anything else throws a one-line xbarcut::Error naming --lasso-step.
LassoStep parse_lasso_step(const std::string& text);
std::string to_string(LassoStep step);

struct GroupLassoOptions {
  double lambda = 1e-3;                      // global strength (eq. 4); the accuracy / wires trade-off
  std::map<std::string, double> lambda_for;  // per-matrix overrides by crossbar matrix name (fc1_u, conv2 ...)
  double epsilon = 1e-8;                     // group norms below this count as this in w / ||group||
  double zero_threshold = 1e-4;              // |w| below this is set to 0 after each step (the authors' code)
  LassoStep step = LassoStep::Subgradient;
  // Adaptive group Lasso: each group's lambda is scaled by (mean group norm / its norm when the phase starts)^
  // adaptive, so weak groups go first and strong ones are biased less (ours, docs/delete.md). 0 = the paper's.
  double adaptive = 0;
  hw::HardwareOptions hw;                    // crossbar size and tiling policy: they define the groups
};

// Throws xbarcut::Error on a negative lambda, epsilon or threshold, or bad hardware options.
void validate(const GroupLassoOptions& options);

// One regularised matrix: the layer, which of its weight tensors (0 = W or U, 1 = V^T) and its groups.
struct LassoTarget {
  std::string name;
  nn::WeightLayer layer{nullptr};
  size_t index = 0;
  CrossbarGroups groups;
  double lambda = 0;
  GroupWeights weights;  // adaptive group-Lasso weights, fixed when the regulariser is made; undefined = all 1

  torch::Tensor weight() const { return layer->weights()[index]; }  // module layout, the parameter itself
  torch::Tensor matrix() const { return layer->matrices()[index]; }  // crossbar layout N x M, detached copy
};

class GroupLasso {
 public:
  // Regularises every matrix of `net` needing more than one crossbar. Throws xbarcut::Error when an override
  // names no matrix or a matrix that fits one crossbar.
  GroupLasso(const nn::Net& net, GroupLassoOptions options);

  const std::vector<LassoTarget>& targets() const { return targets_; }
  const GroupLassoOptions& options() const { return options_; }

  // Adds lambda * w / ||group|| of every row and column group to the weights' gradients (call after backward).
  void add_gradients() const;
  // Proximal step: shrinks every group of every regularised matrix by lr * lambda (call after the solver step,
  // with the learning rate of that step).
  void proximal_step(double lr) const;
  bool proximal() const { return options_.step == LassoStep::Proximal; }
  // Sets every |w| < zero_threshold of the regularised matrices to exactly 0 (call after the solver step).
  void zero_small_weights() const;
  // sum over targets of lambda * sum of group norms: the regulariser's value.
  double penalty() const;

 private:
  GroupLassoOptions options_;
  std::vector<LassoTarget> targets_;
};

}  // namespace xbarcut::methods
