#include "cli/retrain_flags.hpp"

#include <cmath>
#include <filesystem>
#include <optional>

#include "cli/flag_table.hpp"
#include "common/error.hpp"
#include "data/dataset_info.hpp"

namespace xbarcut::cli {

void RetrainFlags::add_to(CLI::App* cmd, bool allow_model) {
  add_table_flag(cmd, "--checkpoint", checkpoint);
  if (allow_model) cmd->add_option("--model", model, "or train from scratch: mlp:784-1200-1200-10");
  add_table_flag(cmd, "--dataset", dataset);
  add_table_flag(cmd, "--data-dir", data_dir);
  add_table_flag(cmd, "--out", out)->required();
  cmd->add_option("--epochs", epochs, "retraining length in epochs");
  cmd->add_option("--iters", iters, "retraining length in iterations (instead of --epochs)");
  cmd->add_option("--train-images", train_images,
                  "retrain on the first N training images only (short runs; an epoch is then N images; 0 = all)")
      ->capture_default_str();
  solver.add_to(cmd, /*long_runs=*/false);
  add_table_flag(cmd, "--threads", threads);
}

RetrainStart start_retraining(const RetrainFlags& f, const std::function<void(const train::SolverOptions&)>& check) {
  if (f.checkpoint.empty() == f.model.empty()) throw Error("give exactly one of --checkpoint or --model");
  if ((f.epochs > 0) == (f.iters > 0)) throw Error("give exactly one of --epochs or --iters, and a positive one");
  if (f.epochs < 0 || f.iters < 0) throw Error("--epochs and --iters must be positive");
  if (f.train_images < 0) throw Error("--train-images must be 0 (all) or a positive number of images");
  if (!f.checkpoint.empty() && !std::filesystem::exists(f.checkpoint))
    throw Error("checkpoint " + f.checkpoint + " does not exist; train one with xbarcut train");
  RetrainStart s;
  s.from_checkpoint = !f.checkpoint.empty();
  std::string model = f.model;
  std::optional<train::Checkpoint> ckpt;
  if (s.from_checkpoint) {
    ckpt = train::load_checkpoint(f.checkpoint);
    model = ckpt->info.value("model", ckpt->net->spec().name);
  }
  s.solver = train::default_solver(model);
  s.solver.test_interval = 0;
  s.solver.checkpoint_every = 0;
  f.solver.apply(s.solver);
  s.solver.max_iter = std::max<int64_t>(1, f.iters);
  train::validate(s.solver);
  if (check) check(s.solver);
  s.base = s.from_checkpoint
               ? train::open_trained_network(std::move(*ckpt), f.checkpoint, f.dataset, f.data_dir, f.threads)
               : train::new_network(model, f.dataset.empty() ? "fashion-mnist" : f.dataset, f.data_dir, f.threads,
                                    s.solver.seed);
  train::keep_first_training_images(s.base.data, f.train_images);
  const int64_t per_epoch = std::max<int64_t>(1, (s.base.data.train.size() + s.solver.batch - 1) / s.solver.batch);
  if (f.epochs > 0) s.solver.max_iter = static_cast<int64_t>(std::ceil(f.epochs * static_cast<double>(per_epoch)));
  return s;
}

}  // namespace xbarcut::cli
