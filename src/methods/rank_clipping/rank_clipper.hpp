// Rank clipping (Group Scissor, Algorithm 2): every few iterations each factorised layer's U (N x K) is
// re-approximated, U ~= U' V'^T with the smallest K' meeting eps, and clipped when K' < K:
// U <- U', V^T <- V'^T V^T. Ranks only go down; the solver's momentum follows the same projection.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "methods/rank_clipping/rank_clipping_options.hpp"
#include "nn/net.hpp"
#include "train/sgd_solver.hpp"
#include "train/trainer.hpp"

namespace xbarcut::methods {

struct LayerClip {
  std::string layer;
  int64_t rank_before = 0, rank_after = 0;
  double error = 0;        // true relative error of U's approximation at the rank it was checked at
  double dense_error = 0;  // relative change of the layer's dense W = U V^T made by this clip (0 if kept)
};

struct ClipStep {
  int64_t iter = 0;
  std::vector<LayerClip> layers;
  double seconds = 0;  // time spent approximating and rewriting the layers
  bool changed() const;
  std::map<std::string, int64_t> ranks() const;  // after the step
};

// One check of every clippable factorised layer. When `solver` is given it is re-bound to the new
// parameters, each clipped layer's momentum projected like its weights (h_U V', V'^T h_V).
ClipStep clip_ranks(nn::Net& net, const RankClippingOptions& options, train::SgdSolver* solver = nullptr);

// Whether a check is due after `done` iterations of a run of `max_iter`: every interval, never at the end
// (a clip there would leave the network untrained at its new rank).
bool clip_due(int64_t done, int64_t interval, int64_t max_iter);

// An after_step hook for the Trainer: clips every options.interval iterations, rebinds the trainer's solver
// and reports each step to `on_step`. `trainer` must outlive the hook (it is set after construction).
std::function<void(int64_t)> clipping_hook(const RankClippingOptions& options, int64_t max_iter,
                                           train::Trainer* const* trainer,
                                           std::function<void(const ClipStep&)> on_step);

}  // namespace xbarcut::methods
