// Magnitude pruning (Han et al.): weights below a threshold are deleted through the layers' fixed masks,
// so they stay exactly zero while the network retrains. The "pruned network" TraNNsformer compares with.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "hw/connectivity_mask.hpp"
#include "nn/net.hpp"
#include "train/tensor_dataset.hpp"

namespace xbarcut::methods {

// Gives every weight layer a mask (all ones if it had none); dense layers only.
void ensure_masks(nn::Net& net);

// The layer's connectivity: its crossbar matrix (inputs x outputs) with a synapse where w != 0.
// Masked weights are exactly zero, so this is the mask of a pruned layer. Dense layers only.
hw::ConnectivityMask connectivity(const nn::WeightLayer& layer);
torch::Tensor to_tensor(const hw::ConnectivityMask& mask);

// Sets the layer's mask from a connectivity (1 = keep) and zeroes what it deletes.
void set_mask(nn::WeightLayer& layer, const hw::ConnectivityMask& mask);

// Keeps the synapses with |w| >= threshold (a pruned weight is 0, so pruning only ever removes).
hw::ConnectivityMask magnitude_mask(const nn::WeightLayer& layer, double threshold);

// The |w| below which a `sparsity` share of the layer's weights lies.
double sparsity_threshold(const nn::WeightLayer& layer, double sparsity);

// Standard deviation of the layer's weights: the unit thresholds are given in.
double weight_std(const nn::WeightLayer& layer);

// Share of zero weights over the given layers (all weight layers when `names` is empty).
double sparsity(const nn::Net& net, const std::vector<std::string>& names = {});

// Error of the net on a fixed slice of the training set: the signal that lets the threshold rise.
double training_error(nn::Net& net, const train::TensorDataset& train, int64_t samples);

}  // namespace xbarcut::methods
