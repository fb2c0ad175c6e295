// What every finished run leaves in its output folder, written in one place: DIR/model.pt (the network with its
// input transform and run info, an ordinary checkpoint) and DIR/summary.json (the figures, the command and the
// machine). And the one way to open a trained network together with the data it runs on.
#pragma once
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "train/checkpoint.hpp"
#include "train/data.hpp"

namespace xbarcut::train {

// DIR/model.pt: `net` with `input`, the iteration count and `info` ({"command", "model", "dataset", "accuracy",
// ...}). Atomic.
void write_model(const std::string& dir, const nn::Net& net, const InputTransform& input, int64_t iter,
                 const nlohmann::json& info);

// DIR/summary.json: `summary` plus {"machine": machine_info()}. Atomic.
void write_summary(const std::string& dir, nlohmann::json summary);

// CPU model, hardware threads and the threads LibTorch uses: every summary records where it ran.
nlohmann::json machine_info();

// A trained network opened for a command: the checkpoint, the model name and the data it runs on.
struct TrainedNetwork {
  Checkpoint ckpt;
  std::string path;
  std::string model;    // the checkpoint's "model" (lenet, vgg8:0.25 ...)
  std::string dataset;  // the dataset given, else the one the checkpoint was trained on
  Data data;
};

// The dataset a command on `ckpt` uses: `dataset` when given, else the one it was trained on (fashion-mnist when
// the checkpoint does not say).
std::string dataset_of(const Checkpoint& ckpt, const std::string& dataset);

// Loads the checkpoint first (a bad file fails before the data is read), runs `check` on it (so a network unfit
// for the command fails at once), checks it against the dataset's input shape, sets the threads, then loads the
// data with the checkpoint's own input transform. Conv nets are switched to channels-last.
TrainedNetwork open_trained_network(const std::string& checkpoint, const std::string& dataset,
                                    const std::string& data_dir, int threads,
                                    const std::function<void(const Checkpoint&)>& check = {});
// The same for a checkpoint already loaded from `path`.
TrainedNetwork open_trained_network(Checkpoint ckpt, const std::string& path, const std::string& dataset,
                                    const std::string& data_dir, int threads);

// A new network of a named model (lenet, mlp:784-300-10, vgg8:0.25 ...) for `dataset`, initialised from `seed`,
// with its data. A bad model name or dataset fails before the data is read.
TrainedNetwork new_network(const std::string& model, const std::string& dataset, const std::string& data_dir,
                           int threads, uint64_t seed);

}  // namespace xbarcut::train
