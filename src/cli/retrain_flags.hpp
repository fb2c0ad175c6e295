// What the pruning commands that may start from scratch (prune, trannsform) share: a base network (--checkpoint, or
// --model for a new one), the dataset, the run's length and the retraining solver (the model's Caffe solver plus
// the flags typed).
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "cli/solver_flags.hpp"
#include "train/run_files.hpp"

namespace xbarcut::cli {

struct RetrainFlags {
  std::string checkpoint, model, dataset, data_dir, out;
  double epochs = 0;
  int64_t iters = 0;
  int64_t train_images = 0;  // 0 = the whole training set
  SolverFlags solver;
  int threads = 0;

  // --model is offered only when `allow_model` (a run from scratch makes sense).
  void add_to(CLI::App* cmd, bool allow_model);
};

struct RetrainStart {
  train::TrainedNetwork base;    // base.ckpt.net is the network to retrain (new when from --model)
  train::SolverOptions solver;   // sized to the run: --iters, or --epochs of the (possibly cut) training set
  bool from_checkpoint = false;
};

// Checks the flags, opens the checkpoint (or makes the model), calls `check` with the solver sized for a one-image
// epoch (so a bad setting fails before the data is read), then loads the data and sizes the solver.
RetrainStart start_retraining(const RetrainFlags& f, const std::function<void(const train::SolverOptions&)>& check);

}  // namespace xbarcut::cli
