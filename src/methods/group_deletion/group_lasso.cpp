// Group Lasso over crossbar row and column groups.
#include "methods/group_deletion/group_lasso.hpp"

#include <fmt/core.h>

#include <set>

#include "common/error.hpp"

namespace xbarcut::methods {

LassoStep parse_lasso_step(const std::string& text) {
  if (text == "subgradient") return LassoStep::Subgradient;
  if (text == "proximal") return LassoStep::Proximal;
  throw Error("`lasso.step` must be 'subgradient' (the paper's eq. 6) or 'proximal' (got '" + text + "')");
}

std::string to_string(LassoStep step) { return step == LassoStep::Proximal ? "proximal" : "subgradient"; }

void validate(const GroupLassoOptions& o) {
  if (!(o.lambda >= 0)) throw Error(fmt::format("`lasso.lambda` must be >= 0 (got {}); it is the group-Lasso strength, e.g. 0.001", o.lambda));
  for (const auto& [name, lambda] : o.lambda_for)
    if (!(lambda >= 0)) throw Error(fmt::format("`lasso.lambda_for` {}={} must be >= 0", name, lambda));
  if (!(o.epsilon > 0)) throw Error(fmt::format("`lasso.epsilon` (the group-norm epsilon) must be > 0 (got {})", o.epsilon));
  if (!(o.zero_threshold >= 0))
    throw Error(fmt::format("`lasso.zero_threshold` must be >= 0 (got {})", o.zero_threshold));
  if (!(o.adaptive >= 0 && o.adaptive <= 10))
    throw Error(fmt::format("`lasso.adaptive` must be in [0, 10] (got {}); 0 is the plain group Lasso, 1 the usual "
                            "adaptive one", o.adaptive));
  hw::validate(o.hw);
}

GroupLasso::GroupLasso(const nn::Net& net, GroupLassoOptions options) : options_(std::move(options)) {
  validate(options_);
  std::set<std::string> all, big;
  for (const auto& layer : net->weight_layers()) {
    if (layer->spec().grouped()) continue;  // its compact matrix is not how its crossbars are laid out: kept dense
    const auto mats = layer->matrices();
    const auto names = layer->matrix_names();
    for (size_t i = 0; i < mats.size(); ++i) {
      all.insert(names[i]);
      auto tiling = hw::tile_matrix(mats[i].size(0), mats[i].size(1), options_.hw);
      if (!tiling.big()) continue;  // the paper regularises only matrices beyond one crossbar
      big.insert(names[i]);
      auto it = options_.lambda_for.find(names[i]);
      const double lambda = it != options_.lambda_for.end() ? it->second : options_.lambda;
      CrossbarGroups groups(std::move(tiling));
      GroupWeights weights;
      if (options_.adaptive > 0) weights = groups.adaptive_weights(mats[i], options_.adaptive);
      targets_.push_back({names[i], layer, i, std::move(groups), lambda, std::move(weights)});
    }
  }
  for (const auto& [name, lambda] : options_.lambda_for) {
    if (!all.count(name)) {
      std::string known;
      for (const auto& n : all) known += (known.empty() ? "" : ", ") + n;
      throw Error("`lasso.lambda_for` names no crossbar matrix '" + name + "'; the matrices are: " + known);
    }
    if (!big.count(name))
      throw Error("`lasso.lambda_for` " + name + ": this matrix fits one crossbar, and group Lasso applies only to "
                  "matrices needing more than one");
  }
}

void GroupLasso::add_gradients() const {
  torch::NoGradGuard guard;
  for (const auto& t : targets_) {
    if (t.lambda == 0) continue;
    auto w = t.weight();
    if (!w.grad().defined()) continue;
    // Crossbar layout [N, M] back to module layout [out, in(, k, k)].
    auto g = t.groups.gradient(t.matrix(), t.lambda, options_.epsilon, t.weights).t().reshape(w.sizes());
    w.mutable_grad().add_(g.to(w.dtype()));
  }
}

void GroupLasso::proximal_step(double lr) const {
  torch::NoGradGuard guard;
  for (const auto& t : targets_) {
    if (t.lambda == 0) continue;
    auto w = t.weight();
    w.copy_(t.groups.shrink(t.matrix(), lr * t.lambda, t.weights).t().contiguous().reshape(w.sizes()));
  }
}

void GroupLasso::zero_small_weights() const {
  if (options_.zero_threshold <= 0) return;
  torch::NoGradGuard guard;
  for (const auto& t : targets_) {
    auto w = t.weight();
    w.masked_fill_(w.abs() < options_.zero_threshold, 0.0);
  }
}

double GroupLasso::penalty() const {
  double sum = 0;
  for (const auto& t : targets_) sum += t.lambda * t.groups.penalty(t.matrix(), t.weights);
  return sum;
}

}  // namespace xbarcut::methods
