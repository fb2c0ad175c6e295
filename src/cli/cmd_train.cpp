// `xbarcut train`: train a model from scratch (or resume) and write DIR/model.pt + DIR/summary.json.
#include <cmath>
#include <filesystem>

#include <fmt/core.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/dataset_flags.hpp"
#include "cli/flag_table.hpp"
#include "cli/solver_flags.hpp"
#include "cli/value_checks.hpp"
#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "nn/deep_models.hpp"
#include "train/data.hpp"
#include "train/resume_point.hpp"
#include "train/run_files.hpp"
#include "train/trainer.hpp"

namespace xbarcut::cli {

namespace {

struct TrainArgs {
  std::string model, checkpoint, dataset, data_dir, out;
  int64_t iters = 0;
  double epochs = 0;
  bool resume = false;
  int threads = 0;
  SolverFlags solver;  // what the user typed; the rest take the model's Caffe defaults
};

// The model's default solver with what the user typed; --epochs counts `train_size` images per epoch.
train::SolverOptions effective_solver(const TrainArgs& a, const std::string& model, int64_t train_size) {
  auto o = train::default_solver(model);
  a.solver.apply(o);
  if (a.iters > 0) o.max_iter = a.iters;
  if (a.epochs > 0) {
    if (o.batch <= 0) throw Error("--batch must be at least 1");
    o.max_iter = static_cast<int64_t>(std::ceil(a.epochs * static_cast<double>(train_size) / static_cast<double>(o.batch)));
  }
  return o;
}

// --resume continues the run that stopped, so a typed --model or --dataset must be the checkpoint's.
void check_same_network_and_data(const train::Checkpoint& resumed, const std::string& path, const TrainArgs& a) {
  const std::string model = resumed.info.value("model", resumed.net->spec().name);
  if (!a.model.empty() && a.model != model) {
    throw Error(fmt::format("{} holds a run of --model {}, not {}; rerun with the same options or give another "
                            "--out", path, model, a.model));
  }
  const std::string dataset = train::dataset_of(resumed, "");
  if (!a.dataset.empty() && !dataset.empty() && train::canonical_dataset(a.dataset) != dataset) {
    throw Error(fmt::format("{} holds a run on --dataset {}, not {}; rerun with the same options or give another "
                            "--out", path, dataset, a.dataset));
  }
}

// Every solver setting but the length must be the stopped run's (a resumed run may ask for more --iters); the
// field is named in backticks so the message shows its flag (--lr, --seed ...).
void check_same_solver(const train::Checkpoint& resumed, const std::string& path, const train::SolverOptions& o) {
  const auto stopped = resumed.info.find("solver");
  if (stopped == resumed.info.end()) return;  // written before runs recorded their solver
  const nlohmann::json now = train::to_json(o);
  for (const auto& [key, value] : stopped->items()) {
    if (key == "max_iter" || !now.contains(key) || now[key] == value) continue;
    throw Error(fmt::format("{} holds a run with `{}` {}, this one asks for {}; rerun with the same options or give "
                            "another --out", path, key, value.dump(), now[key].dump()));
  }
}

void run_train(const TrainArgs& a) {
  if (a.iters < 0) throw Error("--iters must be at least 1");
  if (a.epochs < 0) throw Error("--epochs must be positive");
  claim_output_folder(a.out);  // before any work: an unwritable or busy folder fails now
  const std::string ckpt_path = (std::filesystem::path(a.out) / "checkpoint.pt").string();
  // Only the command must match: a resumed training run may ask for more --iters than the one that stopped.
  const auto resumed = train::resume_point(ckpt_path, a.resume, {{"command", "train"}});
  // Continue a checkpoint (an imported network, say) from its weights, or make a new model.
  const std::optional<train::Checkpoint> given =
      resumed ? resumed : a.checkpoint.empty() ? std::nullopt : std::optional(train::load_checkpoint(a.checkpoint));
  const std::string model = given ? given->info.value("model", given->net->spec().name) : a.model;
  if (resumed) check_same_network_and_data(*resumed, ckpt_path, a);
  if (model.empty())
    throw Error("give --model (known models: " + nn::known_models_help() + ") or --checkpoint to continue training");
  if (!a.epochs) train::validate(effective_solver(a, model, 1));  // before any data is read
  const std::string asked = !a.dataset.empty() ? a.dataset : given ? train::dataset_of(*given, "") : "fashion-mnist";
  auto start = given ? train::open_trained_network(*given, resumed ? ckpt_path : a.checkpoint, asked, a.data_dir,
                                                   a.threads)
                     : train::new_network(model, asked, a.data_dir, a.threads, effective_solver(a, model, 1).seed);
  const auto& data = start.data;
  const std::string& dataset = start.dataset;  // canonical: images:/abs/dir?resize=..., as checkpoints record it
  auto options = effective_solver(a, model, data.train.size());
  train::validate(options);
  nn::Net net = start.ckpt.net;
  if (resumed) check_same_solver(*resumed, ckpt_path, options);
  const nlohmann::json info{
      {"command", "train"}, {"model", model}, {"dataset", dataset}, {"solver", train::to_json(options)}};
  train::TrainHooks hooks;
  hooks.checkpoint_info = [&] { return info; };
  train::Trainer trainer(net, options, data.train, data.test, data.input, ckpt_path, hooks);
  int64_t first = 0;
  if (resumed) {
    trainer.resume_from(*resumed, ckpt_path);
    first = resumed->iter;
    fmt::print(stderr, "resuming {} from iteration {}\n", ckpt_path, first);
    if (first > options.max_iter)
      throw Error(fmt::format("{} is already at iteration {} of {}; ask for more with --iters", ckpt_path, first,
                              options.max_iter));
    // Stopped after its final checkpoint: nothing to train, the final outputs are still to write.
    if (first == options.max_iter) fmt::print(stderr, "{} holds the finished run: writing its outputs\n", ckpt_path);
  }
  fmt::print(stderr, "training {} on {} ({} train / {} test images), {} iterations of batch {}\n", model, dataset,
             data.train.size(), data.test.size(), options.max_iter, options.batch);
  const auto result = trainer.run();

  auto final_info = info;
  final_info["accuracy"] = result.accuracy;
  train::write_model(a.out, net, data.input, result.iters, final_info);
  train::write_summary(a.out, {{"command", command_line()},
                               {"model", model},
                               {"dataset", dataset},
                               {"accuracy", result.accuracy},
                               {"iters", result.iters},
                               {"seconds", result.seconds},
                               {"images_per_second", result.images_per_second},
                               {"resumed_from", first},
                               {"solver", train::to_json(options)},
                               {"test_history", result.test_history}});
  fmt::print("test accuracy {:.4f} after {} iterations; wrote {}/model.pt and {}/summary.json\n", result.accuracy,
             result.iters, a.out, a.out);
}

}  // namespace

void register_train(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand("train", "Train a model on a dataset (Caffe solvers by default). Writes DIR/model.pt, "
                                          "DIR/checkpoint.pt while it runs, DIR/summary.json");
  cmd->add_option("--model", a->model, "lenet | convnet | mlp:784-300-100-10 | vgg8[:W] | vgg16 | resnet20 | resnet18 (not needed with --resume)");
  add_table_flag(cmd, "--checkpoint", a->checkpoint)->excludes("--model");
  add_dataset_flags(cmd, a->dataset, a->data_dir);
  add_table_flag(cmd, "--out", a->out)->required();
  auto* iters = cmd->add_option("--iters", a->iters, "training iterations (default: the model's Caffe solver; "
                                                     "lenet 10000, convnet 70000)")
                    ->check(integer_in(1, kMaxIterations));
  cmd->add_option("--epochs", a->epochs, "training length in epochs instead of iterations")
      ->excludes(iters)
      ->check(positive_finite());
  a->solver.add_to(cmd, /*long_runs=*/true);
  add_table_switch(cmd, "--resume", a->resume);
  add_table_flag(cmd, "--threads", a->threads);
  cmd->callback([a] { run_train(*a); });
}

}  // namespace xbarcut::cli
