// Rank clipping as one call (Group Scissor, Algorithm 2): the trained dense network is factorised at full rank,
// then trained while every `interval` iterations each layer's rank is cut to the smallest one within eps.
// `xbarcut clip` and the scissor pipeline call run_rank_clipping.
#pragma once
#include <nlohmann/json.hpp>

#include "methods/rank_clipping/rank_clipping_options.hpp"
#include "nn/net.hpp"
#include "train/checkpoint.hpp"
#include "train/data.hpp"

namespace xbarcut::methods {

// The authors' fine-tuning solver stretched to `iters`: LeNet multistep x0.9 at 20k, 24k, 26k, 28k, 29k of 30k;
// ConvNet x0.1 at 100k, 160k of 200k (weight decay 0.004, lr 0.001). Other models take LeNet's shape.
train::SolverOptions authors_clipping_solver(const std::string& model, int64_t iters);

struct RankClippingResult {
  nn::Net net{nullptr};          // the clipped network (a resumed run's network is a new object)
  double baseline_accuracy = 0;  // the dense input network
  double full_rank_accuracy = 0; // factorised at full rank, before training
  double accuracy = 0;           // at the end
  int64_t iters = 0;
  int64_t resumed_from = 0;      // iteration a resumed run started at (0 = from the start)
  double train_seconds = 0;      // the whole run's training time, the part before a resume included
  double approximation_seconds = 0;
  double history_eval_seconds = 0;
  // One entry per rank check: {"iter", "ranks", "accuracy", "errors", "seconds"}; first and last entries are the
  // start (full rank) and the end.
  nlohmann::json history = nlohmann::json::array();
  nlohmann::json ranks_report;   // low_rank_report() of the result
};

// Runs the whole schedule on `net` (factorised in place). With `resume` (a checkpoint this function wrote at
// options.checkpoint_path for the same input network and options) it continues that run to the same result.
// Throws xbarcut::Error before any training when a clippable layer is already factorised or masked.
RankClippingResult run_rank_clipping(const RankClippingOptions& options, nn::Net net, const train::Data& data,
                                     const train::Checkpoint* resume = nullptr);

// What a resumed run must share with the run that wrote the checkpoint: the clipping options and the solver.
nlohmann::json resume_settings(const RankClippingOptions& options);

// summary.json fields of a run: accuracies, seconds, history, ranks and area.
nlohmann::json to_json(const RankClippingResult& result);

// DIR/ranks.png: every layer's rank ratio and the test accuracy against iteration.
std::string write_rank_clipping_figures(const RankClippingResult& result, const std::string& dir);

}  // namespace xbarcut::methods
