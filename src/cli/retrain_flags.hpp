// The flags of the pruning commands that may start from scratch (prune, trannsform): a base network (--checkpoint,
// or --model for a new one), the dataset, the run's length and the solver flags (train::start_run does the rest).
#pragma once
#include <CLI/CLI.hpp>

#include "cli/solver_flags.hpp"
#include "train/run_start.hpp"

namespace xbarcut::cli {

struct RetrainFlags {
  train::RunRequest run;
  std::string out;
  SolverFlags solver;

  // --model is offered only when `allow_model` (a run from scratch makes sense).
  void add_to(CLI::App* cmd, bool allow_model);
  // train::start_run with the typed solver flags.
  train::RunStart start(const std::function<void(const train::SolverOptions&)>& check = {}) const;
};

}  // namespace xbarcut::cli
