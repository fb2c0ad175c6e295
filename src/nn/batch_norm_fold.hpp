// Batch norm folded into the weights before mapping: in eval mode bn(conv(x)) = conv'(x) with every output
// column j of the crossbar matrix scaled by gamma_j / sqrt(var_j + eps) and a new bias. Crossbars hold these.
#pragma once
#include <torch/torch.h>

#include "nn/net.hpp"

namespace xbarcut::nn {

struct FoldedLayer {
  std::string name;
  std::vector<torch::Tensor> matrices;  // as WeightLayer::matrices(), the last one with bn folded in
  torch::Tensor bias;                   // M values (zeros when the layer had neither bias nor bn)
};

// Per-output scale gamma / sqrt(running_var + eps) and shift beta - mean * scale of a bn (eval statistics).
std::pair<torch::Tensor, torch::Tensor> batch_norm_affine(const torch::nn::BatchNorm2d& bn);

// Every weight layer of the net with its following bn (if any) folded in, in layer order.
std::vector<FoldedLayer> folded_layers(const Net& net);

// An equivalent net without bn layers (eval mode): folded weights and biases, masks carried over.
Net fold_batch_norm(const Net& net);

}  // namespace xbarcut::nn
