// Folding bn into the weight layer before it (eval-mode statistics).
#include "nn/batch_norm_fold.hpp"

namespace xbarcut::nn {

std::pair<torch::Tensor, torch::Tensor> batch_norm_affine(const torch::nn::BatchNorm2d& bn) {
  torch::NoGradGuard guard;
  auto scale = bn->weight.detach() / torch::sqrt(bn->running_var + bn->options.eps());
  auto shift = bn->bias.detach() - bn->running_mean * scale;
  return {scale.to(torch::kFloat32), shift.to(torch::kFloat32)};
}

std::vector<FoldedLayer> folded_layers(const Net& net) {
  torch::NoGradGuard guard;
  std::vector<FoldedLayer> out;
  const auto& layers = net->weight_layers();
  for (size_t i = 0; i < layers.size(); ++i) {
    FoldedLayer f;
    f.name = layers[i]->spec().name;
    f.matrices = layers[i]->matrices();
    const int64_t m = layers[i]->spec().out;
    f.bias = layers[i]->bias().defined() ? layers[i]->bias().detach().clone() : torch::zeros({m});
    if (auto bn = net->batch_norm_of(i)) {
      auto [scale, shift] = batch_norm_affine(bn);
      f.matrices.back() = f.matrices.back() * scale.unsqueeze(0);
      f.bias = f.bias * scale + shift;
    }
    out.push_back(std::move(f));
  }
  return out;
}

Net fold_batch_norm(const Net& net) {
  torch::NoGradGuard guard;
  NetSpec spec = net->spec();
  NetSpec plain = spec;
  plain.layers.clear();
  for (const auto& l : spec.layers) {
    if (l.kind == "bn") {
      plain.layers.back().bias = true;  // the bn's shift becomes the conv's bias
      continue;
    }
    plain.layers.push_back(l);
  }
  for (auto& l : plain.layers) l.masked = false;
  Net folded(plain);
  const auto layers = folded_layers(net);
  for (size_t i = 0; i < layers.size(); ++i) {
    auto target = folded->weight_layers()[i];
    target->set_matrices(layers[i].matrices);
    target->bias().copy_(layers[i].bias);
    const auto& source = net->weight_layers()[i];
    if (source->has_masks()) {
      std::vector<torch::Tensor> masks;
      for (size_t k = 0; k < source->weight_masks().size(); ++k)
        masks.push_back(source->weight_masks()[k].reshape({source->weight_masks()[k].size(0), -1}).t());
      target->set_matrix_masks(masks);
    }
  }
  if (net->channels_last()) folded->use_channels_last();
  folded->eval();
  return folded;
}

}  // namespace xbarcut::nn
