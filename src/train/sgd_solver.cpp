// Caffe SGD update with per-parameter multipliers.
#include "train/sgd_solver.hpp"

#include "common/error.hpp"
#include "train/lr_policy.hpp"

namespace xbarcut::train {

std::vector<ParamGroup> param_groups(const nn::Net& net) {
  std::vector<ParamGroup> groups;
  for (const auto& layer : net->weight_layers()) {
    const auto& s = layer->spec();
    for (const auto& item : layer->named_parameters(false)) {
      const bool is_bias = item.key() == "bias";
      groups.push_back({s.name + "." + item.key(), item.value(), is_bias ? s.lr_mult_bias : 1.0,
                        is_bias ? s.decay_mult_bias : s.decay_mult_weight});
    }
  }
  // Batch-norm scale and shift learn at 1x without weight decay (the usual setting for bn).
  for (const auto& [name, bn] : net->batch_norms())
    for (const auto& item : bn->named_parameters(false)) groups.push_back({name + "." + item.key(), item.value(), 1.0, 0.0});
  return groups;
}

SgdSolver::SgdSolver(std::vector<ParamGroup> params, SolverOptions options) : options_(std::move(options)) {
  rebind(std::move(params));
}

void SgdSolver::rebind(std::vector<ParamGroup> params, const std::map<std::string, torch::Tensor>& carried) {
  std::vector<torch::Tensor> history;
  for (const auto& p : params) {
    torch::Tensor h;
    auto c = carried.find(p.name);
    if (c != carried.end() && c->second.sizes() == p.param.sizes()) {
      h = c->second.clone();
    } else {
      for (size_t i = 0; i < params_.size(); ++i)
        if (params_[i].name == p.name && history_[i].sizes() == p.param.sizes()) h = history_[i];
    }
    history.push_back(h.defined() ? h : torch::zeros_like(p.param));
  }
  params_ = std::move(params);
  history_ = std::move(history);
}

torch::Tensor SgdSolver::history(const std::string& name) const {
  for (size_t i = 0; i < params_.size(); ++i)
    if (params_[i].name == name) return history_[i];
  return {};
}

void SgdSolver::zero_grad() {
  for (auto& p : params_)
    if (p.param.grad().defined()) p.param.mutable_grad().zero_();
}

void SgdSolver::step(int64_t iter) {
  torch::NoGradGuard guard;
  const double lr = learning_rate(options_, iter);
  for (size_t i = 0; i < params_.size(); ++i) {
    auto& p = params_[i];
    if (!p.param.grad().defined()) continue;
    auto g = p.param.grad();
    const double wd = options_.weight_decay * p.decay_mult;
    if (wd != 0.0) g = g.add(p.param, wd);
    history_[i].mul_(options_.momentum).add_(g, lr * p.lr_mult);
    p.param.sub_(history_[i]);
  }
}

void SgdSolver::save(torch::serialize::OutputArchive& archive) const {
  for (size_t i = 0; i < params_.size(); ++i) archive.write(params_[i].name, history_[i], /*is_buffer=*/true);
}

void SgdSolver::load(torch::serialize::InputArchive& archive) {
  for (size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor h;
    if (!archive.try_read(params_[i].name, h, /*is_buffer=*/true)) continue;
    if (h.sizes() != params_[i].param.sizes())
      throw Error("checkpoint solver state for " + params_[i].name + " does not match the model");
    history_[i].copy_(h);
  }
}

}  // namespace xbarcut::train
