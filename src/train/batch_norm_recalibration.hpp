// Re-estimates the batch-norm running statistics of a network whose weights changed abruptly (a hard
// pruning projection): the stored means/variances still describe the old weights, so eval-mode accuracy
// collapses although the weights themselves are fine. Forward passes only; no weight changes.
#pragma once
#include <torch/torch.h>

#include "nn/net.hpp"
#include "train/tensor_dataset.hpp"

namespace xbarcut::train {

struct RecalibrationOptions {
  int64_t batches = 100;  // training batches averaged (xbprune --bn-recalibrate-batches takes this default)
  int64_t batch = 128;
  uint64_t seed = 1;     // which batches (the BatchStream of this seed)
  int64_t crop_pad = 0;  // the augmentation the network was trained with
  bool flip = false;
};

// Resets every batch norm's running mean/var and replaces them by the plain (cumulative) average of the
// batch statistics over `batches` training batches, as torch's reset_running_stats() + momentum=None does.
// The network's train/eval mode and each bn's momentum are restored afterwards. Returns the number of batch
// norms recalibrated (0: nothing to do, and no forward pass is made).
int64_t recalibrate_batch_norms(nn::Net& net, const TensorDataset& train, const RecalibrationOptions& options);

}  // namespace xbarcut::train
