// What every importer (TorchScript, ONNX) builds: the layers of a NetSpec DAG and the tensors of each named layer,
// turned into a network with those tensors copied in.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nn/net.hpp"

namespace xbarcut::nn {

struct LayerTensors {
  torch::Tensor weight, bias, running_mean, running_var;  // module layout ([out, in/groups, k, k] or [out, in])
};

// The layers an importer builds, each named once, in the order they compute.
class ImportedGraph {
 public:
  // Adds `l` reading the layers named in `from` ("input" = the network's input) and returns its name: `l.name`, or
  // after its kind when empty. A name already taken gets a number: freezing pools equal constants (the zero running
  // means of untrained batch norms), so two layers can bring the same module name. Reading just the layer before it
  // is the chain default and leaves `inputs` empty.
  std::string add(LayerSpec l, const std::vector<std::string>& from, LayerTensors tensors = {});
  // A name no layer has yet (taken once a layer is added with it).
  std::string fresh(const std::string& base) const;
  bool taken(const std::string& name) const { return names_.count(name) > 0; }
  // Throws a one-line Error unless `output` (the producer of the graph's output) is the last layer, the logits.
  void check_output(const std::string& output) const;

  std::vector<LayerSpec> layers;
  std::map<std::string, LayerTensors> tensors;

 private:
  std::set<std::string> names_;
};

// What an import gives: the network, its size, the parity check (TorchScript only) and the ops left out.
struct ImportedModel {
  Net net{nullptr};
  std::optional<double> parity;          // the relative output difference against the source module, when measured
  int64_t parameters = 0;                // learnable values
  std::vector<std::string> ops_skipped;  // shape checks and no-ops left out (dropout, asserts ...)
};

// The network `name` of `layers` for one example of shape `input` (C, H, W), its classes the last layer's outputs,
// with `tensors` copied into its weight layers and batch norms. Throws a one-line Error when the layers do not fit
// the input shape (naming the layer whose weights disagree).
Net build_imported_net(const std::string& name, const std::vector<int64_t>& input, std::vector<LayerSpec> layers,
                       const std::map<std::string, LayerTensors>& tensors);

}  // namespace xbarcut::nn
