// What every importer (TorchScript, ONNX) builds: the layers of a NetSpec DAG and the tensors of each named layer,
// turned into a network with those tensors copied in.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "nn/net.hpp"

namespace xbarcut::nn {

struct LayerTensors {
  torch::Tensor weight, bias, running_mean, running_var;  // module layout ([out, in/groups, k, k] or [out, in])
};

// The network `name` of `layers` for one example of shape `input` (C, H, W), its classes the last layer's outputs,
// with `tensors` copied into its weight layers and batch norms. Throws a one-line Error when the layers do not fit
// the input shape (naming the layer whose weights disagree).
Net build_imported_net(const std::string& name, const std::vector<int64_t>& input, std::vector<LayerSpec> layers,
                       const std::map<std::string, LayerTensors>& tensors);

}  // namespace xbarcut::nn
