// An xbarcut network as TorchScript that PyTorch's torch.jit.load runs: the parameters as attributes named after
// the layers, and a forward method generated from the NetSpec. Factorised layers stay two layers (U then V^T) so
// the crossbar structure is visible; deleted weights are zero. The module takes the network's normalised inputs
// (the checkpoint's input transform applied, as xbarcut eval does) and is an inference (eval-mode) module.
#pragma once
#include <string>

#include "nn/net.hpp"

namespace xbarcut::nn {

// The forward method's TorchScript source for `net` (parameter attributes named by torchscript_attribute).
std::string torchscript_source(const Net& net);

// Writes `net` to `path` (atomically); throws a one-line Error when it cannot be written. The module also gets
// `normalise(pixels)`: raw 0..255 pixels (N x C x H x W, float) to the inputs forward takes,
// (pixels - mean) * scale * channel_scale with the checkpoint's input transform (an undefined tensor = none).
void export_torchscript(const Net& net, const std::string& path, double input_scale = 1.0,
                        const torch::Tensor& input_mean = {}, const torch::Tensor& input_channel_scale = {});

}  // namespace xbarcut::nn
