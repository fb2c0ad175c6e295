// The network built from a NetSpec: named weight layers (dense or factorised, optionally masked) with
// the parameter-free operations (ReLU, pooling, LRN, flatten) between them.
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
  bool is_classifier(const std::string& name) const;

  // Conv nets run about 1.5x faster channels-last on this CPU.
  void use_channels_last();
  bool channels_last() const { return channels_last_; }
  void apply_masks();

 private:
  NetSpec spec_;
  std::vector<WeightLayer> weight_layers_;
  std::vector<int> layer_slot_;  // per spec layer: index into weight_layers_, or -1
  bool channels_last_ = false;
};
TORCH_MODULE(Net);

}  // namespace xbarcut::nn
