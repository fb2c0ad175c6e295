// Every hyper-parameter of the SGD solver, as data with its default (Caffe's solver.prototxt in one
// struct). Defaults per model follow the Caffe solvers listed in docs/reference.md section 2.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace xbarcut::train {

struct SolverOptions {
  double base_lr = 0.01;
  std::string lr_policy = "inv";  // fixed | step | multistep | inv | exp | poly | cosine
  double gamma = 1e-4;
  double power = 0.75;
  int64_t stepsize = 0;
  std::vector<int64_t> stepvalues;
  double momentum = 0.9;
  double weight_decay = 5e-4;
  int64_t max_iter = 10000;
  int64_t batch = 64;
  int64_t test_interval = 1000;   // 0 = only at the end
  int64_t display = 100;          // progress line every N iterations
  int64_t checkpoint_every = 1000;  // 0 = only at the end
  uint64_t seed = 1;
  // Augmentation (CIFAR): random crop with this zero padding (0 = off) and random horizontal flip.
  int64_t crop_pad = 0;
  bool flip = false;
};

// Caffe's solver for this model: lenet (inv, 10k iterations), convnet (cifar10_full: 0.001, x0.1 at
// 60k and 65k, 70k iterations), mlp (inv like lenet); docs/train.md lists them.
SolverOptions default_solver(const std::string& model);

// Rejects impossible settings before any work: batch 0, negative lr, momentum outside [0,1) ... The message names the
// field with `prefix` ("solver.", "finetune." ...): `solver.base_lr must be a positive number`.
void validate(const SolverOptions& o, const std::string& prefix = "solver.");
// Multistep drop points must increase: one-line Error naming `field` (solver.stepvalues, finetune_stepvalues ...).
void validate_stepvalues(const std::vector<int64_t>& stepvalues, const std::string& field);

nlohmann::json to_json(const SolverOptions& o);

}  // namespace xbarcut::train
