// A convolution or fully connected layer that is either dense (W) or factorised into two layers
// (U then V^T, Group Scissor's rank clipping), with optional fixed masks that keep deleted weights at zero.
#pragma once
#include <torch/torch.h>

#include "nn/net_spec.hpp"

namespace xbarcut::nn {

class WeightLayerImpl : public torch::nn::Module {
 public:
  WeightLayerImpl(const LayerSpec& spec, int64_t in_channels);

  torch::Tensor forward(const torch::Tensor& x);

  const LayerSpec& spec() const { return spec_; }
  bool factorised() const { return spec_.rank > 0; }
  int64_t rank() const { return spec_.rank; }
  int64_t in_channels() const { return in_channels_; }

  // The crossbar matrices of this layer, rows = inputs (C_in*k*k), cols = outputs: {W} when dense,
  // {U (N x K), V^T (K x M)} when factorised. Detached views in float32 on the CPU. A grouped conv gives its compact
  // (C_in/G)*k*k x C_out matrix (nn::block_diagonal makes the crossbar layout).
  std::vector<torch::Tensor> matrices() const;
  std::vector<std::string> matrix_names() const;
  // The weight tensors in module layout, matching matrices() one to one.
  std::vector<torch::Tensor> weights() const;
  // The dense equivalent W = U V^T (or W itself) as an N x M matrix.
  torch::Tensor dense_matrix() const;

  // Replace the layer's weights from crossbar matrices: one (dense) or two (factorised) N x M / N x K, K x M.
  // The rank becomes matrices[0].size(1) when two are given.
  void set_matrices(const std::vector<torch::Tensor>& mats);

  // Masks (1 keep, 0 deleted) per weight tensor, in matrix layout; empty when the layer has none.
  void set_matrix_masks(const std::vector<torch::Tensor>& masks);
  bool has_masks() const { return !masks_.empty(); }
  void clear_masks();
  // Zero masked weights (after every solver step) so a deleted connection stays exactly zero.
  void apply_masks();
  std::vector<torch::Tensor> weight_masks() const { return masks_; }
  // The masks in matrix layout, as set_matrix_masks takes them.
  std::vector<torch::Tensor> matrix_masks() const;

  torch::Tensor bias() const { return bias_; }

 private:
  void build();
  // Sets a registered parameter's value; a changed shape replaces the tensor (callers re-bind their solver).
  void replace_parameter(const std::string& name, torch::Tensor& param, const torch::Tensor& value);
  torch::Tensor to_matrix(const torch::Tensor& w) const;
  torch::Tensor from_matrix(const torch::Tensor& m, const torch::Tensor& like) const;

  LayerSpec spec_;
  int64_t in_channels_;
  torch::Tensor w_;  // dense: [out, in, k, k] or [out, in]; factorised: U as [K, in, k, k] or [K, in]
  torch::Tensor v_;  // factorised only: V^T as [out, K, 1, 1] or [out, K]
  torch::Tensor bias_;
  std::vector<torch::Tensor> masks_;  // module layout, registered as buffers mask0, mask1
};
TORCH_MODULE(WeightLayer);

void init_weight(torch::Tensor& w, const std::string& init);

}  // namespace xbarcut::nn
