// Group connection deletion as one call (Group Scissor, section 3.2): group-Lasso training, deletion of the
// all-zero groups as fixed masks, fine-tuning with the masks enforced, and the hardware cost before and after.
// The CLI (`xbarcut delete`) and the scissor pipeline both call run_group_deletion.
#pragma once
#include <nlohmann/json.hpp>

#include <optional>

#include "hw/network_cost.hpp"
#include "methods/group_deletion/group_lasso.hpp"
#include "methods/group_deletion/wire_history.hpp"
#include "nn/net.hpp"
#include "train/checkpoint.hpp"
#include "train/distillation.hpp"
#include "train/solver_options.hpp"
#include "train/tensor_dataset.hpp"

namespace xbarcut::methods {

struct GroupDeletionOptions {
  GroupLassoOptions lasso;         // lambda, per-matrix overrides, zero threshold, crossbar model
  int64_t iters = 2000;            // group-Lasso training iterations
  int64_t finetune_iters = 1000;   // fine-tuning iterations with the deletion masks fixed
  // Fine-tuning base learning rate; 0 takes a tenth of solver.base_lr. Fine-tuning at the lasso phase's own rate
  // (LeNet's 0.01) added no accuracy after the lasso phase; a tenth of it adds about a third of a point (docs/results).
  double finetune_lr = 0;
  // Multistep drops of the fine-tuning phase, counted from its start (e.g. {6000, 8500}); empty = the lasso phase's
  // policy, restarted. On the ConvNet, 10,000 iterations at 0.001 with two drops recovered 2.3 points that 5,000 at
  // 0.0001 left behind (docs/results/group_scissor.md).
  std::vector<int64_t> finetune_stepvalues;
  // Ours: the fine-tuning phase also learns the input network's softened outputs (knowledge distillation, the input
  // network as the teacher); weight 0 = labels only, the paper's fine-tuning.
  train::DistillOptions distill;
  train::SolverOptions solver;     // both phases (max_iter is replaced by iters / finetune_iters)
  bool mask_zero_weights = true;   // delete every zero weight of a regularised matrix, not only whole groups
  int64_t record_every = 100;      // live-wire record interval (Figure 5)
  bool magnitude_comparison = true;  // also cost one-shot magnitude pruning at the same sparsity

  // Run control, not a setting of the method (to_json leaves it out): both phases write `checkpoint_path` every
  // solver.checkpoint_every iterations and when stopped (Ctrl-C); empty = no checkpoints. `checkpoint_info` is
  // the caller's run information stored in each (what it needs to check a later resume against).
  std::string checkpoint_path;
  nlohmann::json checkpoint_info = nlohmann::json::object();
};

// The base learning rate of the fine-tuning phase (finetune_lr, or a tenth of the solver's).
double finetune_base_lr(const GroupDeletionOptions& options);
// The fine-tuning phase's solver: the lasso phase's at finetune_base_lr for finetune_iters, multistep at
// finetune_stepvalues when given (gamma stays the solver's if it already steps, else 0.1).
train::SolverOptions finetune_solver(const GroupDeletionOptions& options);

// Throws xbarcut::Error on negative iteration counts or a negative fine-tuning rate (0 = a tenth of the lasso rate), fine-tuning step points that do not
// increase or fall outside the phase, record_every < 1 or bad lasso / solver / distillation options.
void validate(const GroupDeletionOptions& options);
// Also checks the options against `net`: overrides name big matrices, and some matrix needs more than one
// crossbar. run_group_deletion calls it; a CLI calls it before loading data.
void validate(const GroupDeletionOptions& options, const nn::Net& net);
nlohmann::json to_json(const GroupDeletionOptions& options);

// The magnitude-pruned copy of the starting network: same per-matrix sparsity, no retraining.
struct MagnitudeComparison {
  double accuracy = 0;
  hw::NetworkCost cost;
};

struct GroupDeletionResult {
  double baseline_accuracy = 0;  // the input network
  double lasso_accuracy = 0;     // after group-Lasso training, before deletion
  double accuracy = 0;           // after fine-tuning
  int64_t deleted_weights = 0;   // masked weights in the regularised matrices
  std::vector<std::string> regularised;  // matrix names
  std::map<std::string, double> lambdas;
  WireHistory history;
  hw::NetworkCost start_cost;    // input network against the original dense shapes
  hw::NetworkCost cost;          // result against the original dense shapes
  std::optional<MagnitudeComparison> magnitude;
  double seconds = 0;
};

// Runs both phases on `net` in place (it ends masked and fine-tuned). Throws xbarcut::Error before any
// training when no matrix needs more than one crossbar. With `resume` (a checkpoint this function wrote, at
// options.checkpoint_path, for the same input network and options) it continues that run where it stopped and
// ends with the same network as an unbroken run; `net` is still the input network (the adaptive Lasso weights,
// the baseline and the magnitude comparison come from it).
GroupDeletionResult run_group_deletion(const GroupDeletionOptions& options, nn::Net net,
                                       const train::TensorDataset& train, const train::TensorDataset& test,
                                       const train::InputTransform& input, const train::Checkpoint* resume = nullptr);

// {"accuracy", "baseline_accuracy", "crossbar_area_ratio", "routing_area_ratio", "matrices": [...], ...}:
// the summary.json layout of `xbarcut delete`.
nlohmann::json to_json(const GroupDeletionResult& result);

// The run's figures in `dir`: live_wires.png (Figure 5: live wires of each regularised matrix and test accuracy
// against iteration) and matrices/<name>.png (Figure 9: final weights on the crossbar grid). Returns the paths.
std::vector<std::string> write_deletion_figures(const GroupDeletionResult& result, const nn::Net& net,
                                                const hw::HardwareOptions& hw, const std::string& dir);

}  // namespace xbarcut::methods
