// The training loop: batches, loss, solver step, progress line, periodic test accuracy and atomic
// checkpoints. Methods plug in through hooks (a regulariser's gradient, masks, rank clipping).
#pragma once
#include <torch/torch.h>

#include <chrono>
#include <functional>

#include "nn/net.hpp"
#include "train/checkpoint.hpp"
#include "train/sgd_solver.hpp"
#include "train/tensor_dataset.hpp"

namespace xbarcut::train {

struct TrainHooks {
  std::function<void(int64_t iter)> after_backward;  // add regulariser gradients
  std::function<void(int64_t iter)> after_step;      // enforce masks, clip ranks ...
  std::function<void(int64_t iter, double accuracy)> on_test;
  std::function<nlohmann::json()> checkpoint_info;   // extra run state saved with each checkpoint
  // The training loss of a batch from its inputs, the net's logits and the labels; empty = cross entropy.
  std::function<torch::Tensor(const torch::Tensor& x, const torch::Tensor& logits, const torch::Tensor& labels)> loss;
};

struct TrainResult {
  double accuracy = 0;
  int64_t iters = 0;
  double seconds = 0;            // training time of the whole run, the parts before a resume included
  double images_per_second = 0;  // of this part
  std::vector<std::pair<int64_t, double>> test_history;  // (iteration, test accuracy)
};

double evaluate(nn::Net& net, const TensorDataset& test, int64_t batch = 500);

class Trainer {
 public:
  // `checkpoint_path` empty = no periodic checkpoints.
  Trainer(nn::Net net, SolverOptions options, const TensorDataset& train, const TensorDataset& test,
          InputTransform input, std::string checkpoint_path, TrainHooks hooks = {});

  // Makes run() continue the run that wrote `ckpt` (loaded from `path`): its solver state (momentum) comes back,
  // training starts at ckpt.iter, and the reported seconds include the time before (ckpt's "train_seconds", which
  // every checkpoint carries). Throws a one-line Error when `path` holds no solver state (a final model.pt).
  void resume_from(const Checkpoint& ckpt, const std::string& path);
  // Trains from iteration 0 (or the resumed checkpoint's) to options.max_iter.
  TrainResult run();
  SgdSolver& solver() { return solver_; }
  nn::Net& net() { return net_; }
  void save(int64_t iter, const std::string& path) const;

 private:
  nn::Net net_;
  SolverOptions options_;
  const TensorDataset& train_;
  const TensorDataset& test_;
  InputTransform input_;
  std::string checkpoint_path_;
  TrainHooks hooks_;
  SgdSolver solver_;
  int64_t start_iter_ = 0;
  double prior_seconds_ = 0;  // training time before a resume
  std::chrono::steady_clock::time_point run_start_ = std::chrono::steady_clock::now();
};

std::string format_duration(double seconds);

}  // namespace xbarcut::train
