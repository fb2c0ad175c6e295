// What the pruning commands share: a base network (a checkpoint or a fresh model), the dataset, and the
// retraining solver built from the model's default plus the few flags a user overrides.
#pragma once
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "cli/run_support.hpp"
#include "cli/solver_flags.hpp"
#include "nn/net.hpp"
#include "train/solver_options.hpp"
#include "train/trainer.hpp"

namespace xbarcut::cli {

struct RetrainFlags {
  std::string checkpoint, model, dataset = "mnist", data_dir, out;
  double epochs = 0;
  int64_t iters = 0;
  int64_t train_images = 0;  // 0 = the whole training set
  SolverFlags solver;        // what the user typed; the rest is the model's Caffe solver
  int threads = 0;

  // --model is offered only when `allow_model` (a run from scratch makes sense).
  void add_to(CLI::App* cmd, bool allow_model);
  // Checks what can be checked before loading anything; throws one-line Errors.
  void validate() const;
};

struct RetrainSetup {
  nn::Net net{nullptr};
  std::string model;
  LoadedData data;
  train::SolverOptions solver;
  int64_t iters_per_epoch = 1;
  bool from_checkpoint = false;
};

// Loads the base network and the data and sizes the solver (--epochs or --iters).
RetrainSetup prepare_retraining(const RetrainFlags& f);

// Writes DIR/model.pt: the retrained net (masks inside) with its input transform and run info.
void save_model(const std::string& dir, const RetrainSetup& s, const std::string& command, const std::string& dataset,
                const train::TrainResult& result);

}  // namespace xbarcut::cli
