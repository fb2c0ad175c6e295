#include "nn/imported_layers.hpp"

#include <fmt/core.h>

#include "common/error.hpp"

namespace xbarcut::nn {

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
