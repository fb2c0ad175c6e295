// Algorithm 2's clipping step with momentum carried through the change of basis.
#include "methods/rank_clipping/rank_clipper.hpp"

#include <chrono>

#include "methods/rank_clipping/net_factorisation.hpp"

namespace xbarcut::methods {

namespace {

// Module layout -> crossbar layout: U [K, C_in(, k, k)] -> N x K; V^T [M, K(, 1, 1)] -> K x M.
torch::Tensor as_matrix(const torch::Tensor& t) { return t.reshape({t.size(0), -1}).t(); }

// Crossbar layout -> module layout of the same kind of tensor as `like`, with the new rank.
torch::Tensor u_as_module(const torch::Tensor& m, std::vector<int64_t> like) {
  like[0] = m.size(1);
  return m.t().contiguous().reshape(like);
}
torch::Tensor vt_as_module(const torch::Tensor& m, std::vector<int64_t> like) {
  like[1] = m.size(0);
  return m.t().contiguous().reshape(like);
}

}  // namespace

bool ClipStep::changed() const {
  for (const auto& l : layers)
    if (l.rank_after < l.rank_before) return true;
  return false;
}

std::map<std::string, int64_t> ClipStep::ranks() const {
  std::map<std::string, int64_t> out;
  for (const auto& l : layers) out[l.layer] = l.rank_after;
  return out;
}

bool clip_due(int64_t done, int64_t interval, int64_t max_iter) {
  return interval > 0 && done > 0 && done < max_iter && done % interval == 0;
}

ClipStep clip_ranks(nn::Net& net, const RankClippingOptions& options, train::SgdSolver* solver) {
  validate(options);
  const auto t0 = std::chrono::steady_clock::now();
  torch::NoGradGuard guard;
  ClipStep step;
  std::map<std::string, torch::Tensor> carried;
  for (const auto& name : clippable_layers(net)) {
    auto layer = net->layer(name);
    if (!layer->factorised()) continue;
    const auto mats = layer->matrices();  // U (N x K), V^T (K x M)
    const auto lr = approximate(mats[0], options.eps, options.method);
    LayerClip clip{name, layer->rank(), layer->rank(), lr.error, 0};
    if (lr.rank < layer->rank()) {
      const auto vprime = lr.vt.t();  // K x K', orthonormal columns: U' = U V'
      const auto new_vt = torch::mm(lr.vt, mats[1]);
      const auto dense_before = torch::mm(mats[0], mats[1]);
      if (solver) {
        const auto weights = layer->weights();
        const std::string u_name = name + ".weight", v_name = name + ".weight_v";
        const auto hu = solver->history(u_name), hv = solver->history(v_name);
        if (hu.defined()) carried[u_name] = u_as_module(torch::mm(as_matrix(hu), vprime), weights[0].sizes().vec());
        if (hv.defined()) carried[v_name] = vt_as_module(torch::mm(lr.vt, as_matrix(hv)), weights[1].sizes().vec());
      }
      // A gradient of the old shape would be accumulated into by the next backward pass: drop it.
      for (auto w : layer->weights()) w.mutable_grad() = torch::Tensor();
      layer->set_matrices({lr.u, new_vt});
      clip.rank_after = lr.rank;
      clip.dense_error = relative_error(dense_before, lr.u, new_vt);
    }
    step.layers.push_back(clip);
  }
  if (step.changed()) {
    if (net->channels_last()) net->use_channels_last();
    if (solver) solver->rebind(train::param_groups(net), carried);
  }
  step.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return step;
}

std::function<void(int64_t)> clipping_hook(const RankClippingOptions& options, int64_t max_iter,
                                           train::Trainer* const* trainer,
                                           std::function<void(const ClipStep&)> on_step) {
  validate(options);
  return [options, max_iter, trainer, on_step](int64_t iter) {
    const int64_t done = iter + 1;
    if (!clip_due(done, options.interval, max_iter) || !*trainer) return;
    auto step = clip_ranks((*trainer)->net(), options, &(*trainer)->solver());
    step.iter = done;
    if (on_step) on_step(step);
  };
}

}  // namespace xbarcut::methods
