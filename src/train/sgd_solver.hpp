// Caffe's SGD with momentum (sgd_solver.cpp): v = m v + lr * lr_mult * (g + wd * decay_mult * w); w -= v.
// Separate from the net it trains; its momentum history is part of every resumable checkpoint.
#pragma once
#include <torch/torch.h>

#include "nn/net.hpp"
#include "train/solver_options.hpp"

namespace xbarcut::train {

struct ParamGroup {
  std::string name;
  torch::Tensor param;
  double lr_mult = 1.0;
  double decay_mult = 1.0;
};

// Weights learn at 1x with the layer's weight decay multiplier; biases as the layer spec says (Caffe's 2x).
std::vector<ParamGroup> param_groups(const nn::Net& net);

class SgdSolver {
 public:
  SgdSolver(std::vector<ParamGroup> params, SolverOptions options);

  // One update with the learning rate of iteration `iter`; gradients must be in place.
  void step(int64_t iter);
  void zero_grad();

  // After a method changed the parameter set (rank clipping, masks): re-bind, keeping the history of
  // parameters whose name and shape are unchanged and taking `carried` histories where given.
  void rebind(std::vector<ParamGroup> params, const std::map<std::string, torch::Tensor>& carried = {});
  torch::Tensor history(const std::string& name) const;

  const SolverOptions& options() const { return options_; }
  const std::vector<ParamGroup>& params() const { return params_; }

  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  std::vector<ParamGroup> params_;
  std::vector<torch::Tensor> history_;
  SolverOptions options_;
};

}  // namespace xbarcut::train
