#include "nn/imported_layers.hpp"

#include <fmt/core.h>

#include "common/error.hpp"

namespace xbarcut::nn {

std::string ImportedGraph::fresh(const std::string& base) const {
  std::string name = base;
  for (int n = 1; taken(name); ++n) name = fmt::format("{}_{}", base, n);
  return name;
}

std::string ImportedGraph::add(LayerSpec l, const std::vector<std::string>& from, LayerTensors t) {
  if (l.name.empty() || taken(l.name)) l.name = fresh(l.name.empty() ? l.kind + "_" + std::to_string(layers.size()) : l.name);
  names_.insert(l.name);
  if (t.weight.defined() || t.running_mean.defined()) tensors[l.name] = std::move(t);
  const bool chain = from.size() == 1 && ((layers.empty() && from[0] == "input") ||
                                          (!layers.empty() && from[0] == layers.back().name));
  if (!chain) l.inputs = from;
  layers.push_back(std::move(l));
  return layers.back().name;
}

void ImportedGraph::check_output(const std::string& output) const {
  if (layers.empty() || output != layers.back().name)
    throw Error("the model must return one tensor, the output of its last layer (the logits)");
}

Net build_imported_net(const std::string& name, const std::vector<int64_t>& input, std::vector<LayerSpec> layers,
                       const std::map<std::string, LayerTensors>& tensors) {
  NetSpec spec;
  spec.name = name;
  spec.input = input;
  spec.layers = std::move(layers);
  try {
    const auto shapes = layer_shapes(spec);
    spec.classes = shapes.back().c * shapes.back().h * shapes.back().w;
  } catch (const Error& e) {
    throw Error(std::string("the imported network does not fit the --input shape: ") + e.what());
  }
  Net net(spec);
  torch::NoGradGuard guard;
  for (auto& layer : net->weight_layers()) {
    const auto& src = tensors.at(layer->spec().name);
    if (layer->weights()[0].sizes() != src.weight.sizes())
      throw Error(fmt::format("layer {} has weights of shape {} but an input of {}x{}x{} gives it {}: give the input "
                              "shape the model was made for",
                              layer->spec().name, c10::str(src.weight.sizes()), input[0], input[1], input[2],
                              c10::str(layer->weights()[0].sizes())));
    layer->weights()[0].copy_(src.weight);
    if (layer->spec().bias) layer->bias().copy_(src.bias);
  }
  for (auto& [bn_name, bn] : net->batch_norms()) {
    const auto& src = tensors.at(bn_name);
    bn->weight.copy_(src.weight);
    bn->bias.copy_(src.bias);
    bn->running_mean.copy_(src.running_mean);
    bn->running_var.copy_(src.running_var);
  }
  return net;
}

}  // namespace xbarcut::nn
