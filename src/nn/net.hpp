// The network built from a NetSpec: named weight layers (dense or factorised, optionally masked) with
// batch norms and the parameter-free operations (ReLU, pooling, LRN, flatten, residual adds) between them.
#pragma once
#include <torch/torch.h>

#include "nn/net_spec.hpp"
#include "nn/weight_layer.hpp"

namespace xbarcut::nn {

class NetImpl : public torch::nn::Module {
 public:
  explicit NetImpl(NetSpec spec);

  torch::Tensor forward(torch::Tensor x);

  // The current description: ranks and masks as the layers have them now.
  NetSpec spec() const;
  std::vector<WeightLayer>& weight_layers() { return weight_layers_; }
  const std::vector<WeightLayer>& weight_layers() const { return weight_layers_; }
  WeightLayer layer(const std::string& name) const;
  // Batch norms in spec order, with their spec names (conv1_bn ...).
  const std::vector<std::pair<std::string, torch::nn::BatchNorm2d>>& batch_norms() const { return batch_norms_; }
  // The bn right after weight layer `weight_index` (index into weight_layers()), or an empty holder.
  torch::nn::BatchNorm2d batch_norm_of(size_t weight_index) const;
  bool is_classifier(const std::string& name) const;
  // Names of the grouped (depthwise) convs: the methods leave them dense and say so once.
  std::vector<std::string> grouped_layers() const;

  // Conv nets run about 1.5x faster channels-last on this CPU.
  void use_channels_last();
  bool channels_last() const { return channels_last_; }
  void apply_masks();

 private:
  NetSpec spec_;
  std::vector<WeightLayer> weight_layers_;
  std::vector<std::pair<std::string, torch::nn::BatchNorm2d>> batch_norms_;
  std::vector<int> layer_slot_;  // per spec layer: index into weight_layers_ (or batch_norms_ for bn), or -1
  std::vector<std::vector<int>> inputs_;  // per spec layer: the layers it reads by name (input_indices)
  std::vector<bool> kept_;                // per spec layer: a later layer reads its output by name
  bool channels_last_ = false;
};
TORCH_MODULE(Net);

}  // namespace xbarcut::nn
