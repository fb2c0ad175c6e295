// Training loop with Caffe-style SGD and deterministic batches.
#include "train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>

#include <fmt/core.h>

#include "common/error.hpp"
#include "train/allocator_tuning.hpp"
#include "train/lr_policy.hpp"
#include "train/stop_request.hpp"

namespace xbarcut::train {

std::string format_duration(double seconds) {
  const auto s = static_cast<int64_t>(std::llround(seconds));
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

double evaluate(nn::Net& net, const TensorDataset& test, int64_t batch) {
  torch::NoGradGuard guard;
  net->eval();
  int64_t correct = 0;
  const int64_t n = test.size();
  for (int64_t i = 0; i < n; i += batch) {
    const int64_t end = std::min(n, i + batch);
    auto logits = net->forward(test.inputs(i, end));
    correct += logits.argmax(1).eq(test.labels.slice(0, i, end)).sum().item<int64_t>();
  }
  net->train();
  return n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
}

Trainer::Trainer(nn::Net net, SolverOptions options, const TensorDataset& train, const TensorDataset& test,
                 InputTransform input, std::string checkpoint_path, TrainHooks hooks)
    : net_(std::move(net)),
      options_(std::move(options)),
      train_(train),
      test_(test),
      input_(std::move(input)),
      checkpoint_path_(std::move(checkpoint_path)),
      hooks_(std::move(hooks)),
      solver_(param_groups(net_), options_) {
  validate(options_);
  keep_freed_memory_mapped();
}

void Trainer::save(int64_t iter, const std::string& path) const {
  Checkpoint ckpt;
  ckpt.net = net_;
  ckpt.input = input_;
  ckpt.iter = iter;
  ckpt.info = hooks_.checkpoint_info ? hooks_.checkpoint_info() : nlohmann::json::object();
  ckpt.info["solver"] = to_json(options_);
  ckpt.info["train_seconds"] =
      prior_seconds_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start_).count();
  save_checkpoint(path, ckpt, &solver_);
}

void Trainer::resume_from(const Checkpoint& ckpt, const std::string& path) {
  load_solver_state(path, solver_);
  start_iter_ = ckpt.iter;
  prior_seconds_ = ckpt.info.value("train_seconds", 0.0);
}

TrainResult Trainer::run() {
  const int64_t start_iter = start_iter_;
  const double prior_seconds = prior_seconds_;
  const StopSignalScope stop_on_signal;  // Ctrl-C: finish the iteration, checkpoint, throw Interrupted
  TrainResult result;
  BatchStream stream(train_, options_.batch, options_.seed, options_.crop_pad, options_.flip);
  net_->train();
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  run_start_ = t0;
  auto window_start = t0;
  int64_t window_iters = 0;
  double loss_sum = 0;
  int64_t loss_count = 0;
  for (int64_t iter = start_iter; iter < options_.max_iter; ++iter) {
    auto [x, y] = stream.batch(iter);
    solver_.zero_grad();
    const auto logits = net_->forward(x);
    auto loss = hooks_.loss ? hooks_.loss(x, logits, y) : torch::nn::functional::cross_entropy(logits, y);
    const double loss_value = loss.item<double>();
    if (!std::isfinite(loss_value)) {
      throw Error(fmt::format("training diverged at iteration {}: loss is {}; lower --lr (now {}){}", iter,
                              loss_value, options_.base_lr,
                              checkpoint_path_.empty() || !std::filesystem::is_regular_file(checkpoint_path_)
                                  ? std::string()
                                  : "; the last good checkpoint " + checkpoint_path_ + " is kept"));
    }
    loss.backward();
    if (hooks_.after_backward) hooks_.after_backward(iter);
    solver_.step(iter);
    if (hooks_.after_step) hooks_.after_step(iter);
    net_->apply_masks();
    loss_sum += loss_value;
    ++loss_count;
    ++window_iters;
    const int64_t done = iter + 1;
    if (options_.display > 0 && (done % options_.display == 0 || done == options_.max_iter)) {
      const auto now = clock::now();
      const double secs = std::chrono::duration<double>(now - window_start).count();
      const double ips = secs > 0 ? static_cast<double>(window_iters * options_.batch) / secs : 0;
      const double eta = ips > 0 ? static_cast<double>((options_.max_iter - done) * options_.batch) / ips : 0;
      fmt::print(stderr, "iter {:>7}/{}  loss {:.4f}  lr {:.3g}  {:.0f} img/s  ETA {}\n", done, options_.max_iter,
                 loss_sum / static_cast<double>(loss_count), learning_rate(options_, iter), ips,
                 format_duration(eta));
      window_start = now;
      window_iters = 0;
      loss_sum = 0;
      loss_count = 0;
    }
    const bool last = done == options_.max_iter;
    if (!last && options_.test_interval > 0 && done % options_.test_interval == 0) {
      const double acc = evaluate(net_, test_);
      result.test_history.emplace_back(done, acc);
      fmt::print(stderr, "test  iter {:>7}  accuracy {:.4f}\n", done, acc);
      if (hooks_.on_test) hooks_.on_test(done, acc);
    }
    const bool periodic =
        !last && !checkpoint_path_.empty() && options_.checkpoint_every > 0 && done % options_.checkpoint_every == 0;
    if (periodic) save(done, checkpoint_path_);
    if (!last && stop_requested()) {
      if (checkpoint_path_.empty())
        throw Interrupted(fmt::format("interrupted at iteration {} of {}; this command keeps no checkpoint, so a "
                                      "rerun starts over", done, options_.max_iter));
      if (!periodic) save(done, checkpoint_path_);  // not twice when the stop lands on a checkpoint iteration
      throw Interrupted(fmt::format("interrupted at iteration {} of {}; {} holds it: rerun the same command with "
                                    "--resume to continue", done, options_.max_iter, checkpoint_path_));
    }
  }
  const double secs = std::chrono::duration<double>(clock::now() - t0).count();
  result.iters = options_.max_iter;
  result.seconds = prior_seconds + secs;
  result.images_per_second =
      secs > 0 ? static_cast<double>((options_.max_iter - start_iter) * options_.batch) / secs : 0;
  result.accuracy = evaluate(net_, test_);
  result.test_history.emplace_back(options_.max_iter, result.accuracy);
  fmt::print(stderr, "test  iter {:>7}  accuracy {:.4f}  ({} of training, {:.0f} img/s)\n", options_.max_iter,
             result.accuracy, format_duration(result.seconds), result.images_per_second);
  if (hooks_.on_test) hooks_.on_test(options_.max_iter, result.accuracy);
  if (!checkpoint_path_.empty()) save(options_.max_iter, checkpoint_path_);
  return result;
}

}  // namespace xbarcut::train
