// The start of a run that may begin from a trained network or from a new one (prune, trannsform): the network and
// its data, and the solver sized to the run (--iters, or --epochs of the possibly cut training set).
#pragma once
#include <functional>
#include <string>

#include "train/run_files.hpp"

namespace xbarcut::train {

struct RunRequest {
  std::string checkpoint, model;  // exactly one: a trained network, or a named model to make
  std::string dataset, data_dir;
  double epochs = 0;              // exactly one of epochs and iters, positive
  int64_t iters = 0;
  int64_t train_images = 0;       // 0 = the whole training set
  int threads = 0;
};

struct RunStart {
  TrainedNetwork base;    // base.ckpt.net is the network to train (new when from a model name)
  SolverOptions solver;   // sized to the run
  bool from_checkpoint = false;
};

// Checks the request, opens the checkpoint (or checks the model name), builds the model's solver and lets `adjust`
// change it (the typed flags), calls `check` with it sized for a one-image epoch so a bad setting fails before the
// data is read, then loads the data and sizes the solver.
RunStart start_run(const RunRequest& r, const std::function<void(SolverOptions&)>& adjust,
                   const std::function<void(const SolverOptions&)>& check = {});

}  // namespace xbarcut::train
