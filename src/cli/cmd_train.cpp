// `xbarcut train`: train a model from scratch (or resume) and write DIR/model.pt + DIR/summary.json.
#include <filesystem>

#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/resume_point.hpp"
#include "cli/run_support.hpp"
#include "cli/solver_flags.hpp"
#include "common/error.hpp"
#include "data/dataset_info.hpp"
#include "nn/deep_models.hpp"
#include "nn/net.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"

namespace xbarcut::cli {

namespace {

struct TrainArgs {
  std::string model;
  std::string dataset = "fashion-mnist";
  std::string data_dir;
  std::string out;
  int64_t iters = 0;
  double epochs = 0;
  bool resume = false;
  int threads = 0;
  SolverFlags solver;  // what the user typed; the rest take the model's Caffe defaults
};

// Overrides the model's default solver with what the user typed.
train::SolverOptions effective_solver(const TrainArgs& a, int64_t train_size) {
  auto o = train::default_solver(a.model);
  a.solver.apply(o);
  if (a.iters > 0) o.max_iter = a.iters;
  if (a.epochs > 0) {
    if (o.batch <= 0) throw Error("--batch must be at least 1");
    o.max_iter = static_cast<int64_t>(std::ceil(a.epochs * static_cast<double>(train_size) / static_cast<double>(o.batch)));
  }
  return o;
}

void run_train(const TrainArgs& a) {
  if (a.iters < 0) throw Error("--iters must be at least 1");
  if (a.epochs < 0) throw Error("--epochs must be positive");
  const std::string ckpt_path = (std::filesystem::path(a.out) / "checkpoint.pt").string();
  // Only the command must match: a resumed training run may ask for more --iters than the one that stopped.
  const auto resumed = resume_point(ckpt_path, a.resume, {{"command", "train"}});
  std::string model = a.model;
  if (resumed) model = resumed->info.value("model", model);
  if (model.empty()) throw Error("--model is required (known models: " + nn::known_models_help() + ")");
  // Validate the model name and the solver before loading any data.
  TrainArgs checked = a;
  checked.model = model;
  if (!a.epochs) train::validate(effective_solver(checked, 1));
  if (model != "lenet" && model != "convnet" && model.rfind("mlp:", 0) != 0 && !nn::is_deep_model(model))
    throw Error("unknown model '" + model + "'; known models: " + nn::known_models_help());
  const auto shape = data::input_shape(a.dataset);  // also rejects an unknown dataset name
  nn::make_net_spec(model, {shape.channels, shape.height, shape.width}, data::num_classes(a.dataset));

  setup_threads(a.threads);
  fmt::print(stderr, "loading {} ...\n", a.dataset);
  auto data = load_data(a.dataset, a.data_dir, resumed ? &resumed->input : nullptr);
  auto options = effective_solver(checked, data.train.size());
  train::validate(options);

  nn::Net net{nullptr};
  if (resumed) {
    net = resumed->net;
  } else {
    torch::manual_seed(options.seed);
    net = nn::Net(nn::make_net_spec(model, data.input_shape, data.classes));
  }
  if (net->spec().is_conv_net()) net->use_channels_last();

  auto info = [&] {
    return nlohmann::json{{"command", "train"}, {"model", model}, {"dataset", a.dataset}};
  };
  train::TrainHooks hooks;
  hooks.checkpoint_info = info;
  train::Trainer trainer(net, options, data.train, data.test, data.input, ckpt_path, hooks);
  int64_t start = 0;
  if (resumed) {
    trainer.resume_from(*resumed, ckpt_path);
    start = resumed->iter;
    fmt::print(stderr, "resuming {} from iteration {}\n", ckpt_path, start);
    if (start >= options.max_iter)
      throw Error(fmt::format("{} is already at iteration {}; ask for more with --iters", ckpt_path, start));
  }
  fmt::print(stderr, "training {} on {} ({} train / {} test images), {} iterations of batch {}\n", model, a.dataset,
             data.train.size(), data.test.size(), options.max_iter, options.batch);
  const auto result = trainer.run();

  train::Checkpoint final_ckpt;
  final_ckpt.net = net;
  final_ckpt.input = data.input;
  final_ckpt.iter = result.iters;
  final_ckpt.info = info();
  final_ckpt.info["accuracy"] = result.accuracy;
  train::save_checkpoint((std::filesystem::path(a.out) / "model.pt").string(), final_ckpt);

  nlohmann::json summary{{"command", command_line()},
                         {"model", model},
                         {"dataset", a.dataset},
                         {"accuracy", result.accuracy},
                         {"iters", result.iters},
                         {"seconds", result.seconds},
                         {"images_per_second", result.images_per_second},
                         {"resumed_from", start},
                         {"solver", train::to_json(options)},
                         {"test_history", result.test_history},
                         {"machine", machine_info()}};
  write_json((std::filesystem::path(a.out) / "summary.json").string(), summary);
  fmt::print("test accuracy {:.4f} after {} iterations; wrote {}/model.pt and {}/summary.json\n", result.accuracy,
             result.iters, a.out, a.out);
}

}  // namespace

void register_train(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  auto* cmd = app.add_subcommand("train", "Train a model on a dataset (Caffe solvers by default)");
  cmd->add_option("--model", a->model, "lenet | convnet | mlp:784-300-100-10 | vgg8[:W] | vgg16 | resnet20 | resnet18 (not needed with --resume)");
  cmd->add_option("--dataset", a->dataset, "mnist | fashion-mnist | cifar10 | cifar10-grey")->capture_default_str();
  cmd->add_option("--data-dir", a->data_dir, "folder holding mnist/, fashion-mnist/, cifar10/ (else $XBARCUT_DATA, "
                                             "else /usr/share/datasets for fashion-mnist)");
  cmd->add_option("--out", a->out, "output folder for model.pt, checkpoint.pt, summary.json")->required();
  auto* iters = cmd->add_option("--iters", a->iters, "training iterations (default: the model's Caffe solver; "
                                                     "lenet 10000, convnet 70000)");
  cmd->add_option("--epochs", a->epochs, "training length in epochs instead of iterations")->excludes(iters);
  a->solver.add_to(cmd, /*long_runs=*/true);
  cmd->add_flag("--resume", a->resume, "continue from DIR/checkpoint.pt if it exists (same options as the first run)");
  cmd->add_option("--threads", a->threads, "CPU threads (default: all hardware threads)");
  cmd->callback([a] { run_train(*a); });
}

}  // namespace xbarcut::cli
