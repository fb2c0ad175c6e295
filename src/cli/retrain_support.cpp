#include "cli/retrain_support.hpp"

#include <cmath>

#include <fmt/core.h>

#include "common/error.hpp"
#include "data/dataset_info.hpp"
#include "train/checkpoint.hpp"

namespace xbarcut::cli {

void RetrainFlags::add_to(CLI::App* cmd, bool allow_model) {
  cmd->add_option("--checkpoint", checkpoint, "the trained network to start from (a model.pt from xbarcut train)");
  if (allow_model) cmd->add_option("--model", model, "or train from scratch: mlp:784-1200-1200-10");
  cmd->add_option("--dataset", dataset, "mnist | fashion-mnist | cifar10 | cifar10-grey")
      ->capture_default_str();
  cmd->add_option("--data-dir", data_dir, "folder holding the datasets (else $XBARCUT_DATA)");
  cmd->add_option("--out", out, "output folder: model.pt, summary.json")->required();
  cmd->add_option("--epochs", epochs, "retraining length in epochs");
  cmd->add_option("--iters", iters, "retraining length in iterations (instead of --epochs)");
  cmd->add_option("--train-images", train_images,
                  "retrain on the first N training images only (short runs; an epoch is then N images; 0 = all)")
      ->capture_default_str();
  solver.add_to(cmd, /*long_runs=*/false);
  cmd->add_option("--threads", threads, "CPU threads (default: all)");
}

void RetrainFlags::validate() const {
  if (checkpoint.empty() == model.empty()) throw Error("give exactly one of --checkpoint or --model");
  if ((epochs > 0) == (iters > 0)) throw Error("give exactly one of --epochs or --iters, and a positive one");
  if (epochs < 0 || iters < 0) throw Error("--epochs and --iters must be positive");
  if (train_images < 0) throw Error("--train-images must be 0 (all) or a positive number of images");
  data::input_shape(dataset);  // rejects an unknown dataset name
  if (!checkpoint.empty() && !std::filesystem::exists(checkpoint))
    throw Error("checkpoint " + checkpoint + " does not exist; train one with xbarcut train");
}

RetrainSetup prepare_retraining(const RetrainFlags& f) {
  f.validate();
  RetrainSetup s;
  train::InputTransform input;
  const train::InputTransform* reuse = nullptr;
  if (!f.checkpoint.empty()) {
    auto ckpt = train::load_checkpoint(f.checkpoint);
    s.net = ckpt.net;
    s.model = ckpt.info.value("model", ckpt.net->spec().name);
    input = ckpt.input;
    reuse = &input;
    s.from_checkpoint = true;
  } else {
    s.model = f.model;
    const auto shape = data::input_shape(f.dataset);
    nn::make_net_spec(f.model, {shape.channels, shape.height, shape.width}, data::num_classes(f.dataset));
  }
  s.solver = train::default_solver(s.model);
  s.solver.test_interval = 0;
  s.solver.checkpoint_every = 0;
  f.solver.apply(s.solver);
  s.solver.max_iter = std::max<int64_t>(1, f.iters);
  train::validate(s.solver);

  setup_threads(f.threads);
  fmt::print(stderr, "loading {} ...\n", f.dataset);
  s.data = load_data(f.dataset, f.data_dir, reuse);
  if (!s.from_checkpoint) {
    torch::manual_seed(s.solver.seed);
    s.net = nn::Net(nn::make_net_spec(s.model, s.data.input_shape, s.data.classes));
  } else if (s.net->spec().input != s.data.input_shape) {
    throw Error("checkpoint " + f.checkpoint + " was trained on other input shapes than " + f.dataset);
  }
  if (f.train_images > 0 && f.train_images < s.data.train.size())
    s.data.train = {s.data.train.images.slice(0, 0, f.train_images), s.data.train.labels.slice(0, 0, f.train_images)};
  s.iters_per_epoch = std::max<int64_t>(1, (s.data.train.size() + s.solver.batch - 1) / s.solver.batch);
  if (f.epochs > 0)
    s.solver.max_iter = static_cast<int64_t>(std::ceil(f.epochs * static_cast<double>(s.iters_per_epoch)));
  return s;
}

void save_model(const std::string& dir, const RetrainSetup& s, const std::string& command, const std::string& dataset,
                const train::TrainResult& result) {
  train::Checkpoint ckpt;
  ckpt.net = s.net;
  ckpt.input = s.data.input;
  ckpt.iter = result.iters;
  ckpt.info = {{"command", command}, {"model", s.model}, {"dataset", dataset}, {"accuracy", result.accuracy}};
  train::save_checkpoint((std::filesystem::path(dir) / "model.pt").string(), ckpt);
}

}  // namespace xbarcut::cli
