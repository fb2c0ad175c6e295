#include "cli/retrain_flags.hpp"

#include "cli/dataset_flags.hpp"
#include "cli/flag_table.hpp"
#include "cli/value_checks.hpp"

namespace xbarcut::cli {

void RetrainFlags::add_to(CLI::App* cmd, bool allow_model) {
  add_table_flag(cmd, "--checkpoint", run.checkpoint);
  if (allow_model) cmd->add_option("--model", run.model, "or train from scratch: mlp:784-1200-1200-10");
  add_dataset_flags(cmd, run.dataset, run.data_dir);
  add_table_flag(cmd, "--out", out)->required();
  cmd->add_option("--epochs", run.epochs, "retraining length in epochs")->check(positive_finite());
  cmd->add_option("--iters", run.iters, "retraining length in iterations (instead of --epochs)")
      ->check(integer_in(1, kMaxIterations));
  cmd->add_option("--train-images", run.train_images,
                  "retrain on the first N training images only (short runs; an epoch is then N images; 0 = all)")
      ->capture_default_str();
  solver.add_to(cmd, /*long_runs=*/false);
  add_table_flag(cmd, "--threads", run.threads);
}

train::RunStart RetrainFlags::start(const std::function<void(const train::SolverOptions&)>& check) const {
  return train::start_run(run, [&](train::SolverOptions& s) { solver.apply(s); }, check);
}

}  // namespace xbarcut::cli
