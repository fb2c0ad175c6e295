// xbarcut checkpoints: one file with the model description, its weights (and masks), the input
// normalisation, the iteration, optional solver state for --resume, and free-form run info. Written
// atomically (temp file + rename) so a killed run never leaves a half-written checkpoint.
#pragma once
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include "nn/net.hpp"
#include "train/sgd_solver.hpp"
#include "train/tensor_dataset.hpp"

namespace xbarcut::train {

struct Checkpoint {
  nn::Net net{nullptr};
  InputTransform input;
  int64_t iter = 0;
  nlohmann::json info = nlohmann::json::object();  // dataset, accuracy, method settings ...
};

void save_checkpoint(const std::string& path, const Checkpoint& ckpt, const SgdSolver* solver = nullptr);

// Throws a one-line Error for a missing, unreadable or foreign file.
Checkpoint load_checkpoint(const std::string& path);
// Restores the solver momentum saved with the checkpoint, to resume the run that wrote it; throws a one-line Error
// when the file holds none (a final model.pt, not a run's checkpoint.pt).
void load_solver_state(const std::string& path, SgdSolver& solver);

}  // namespace xbarcut::train
