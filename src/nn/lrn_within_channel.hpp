// Caffe's LRN with norm_region WITHIN_CHANNEL (used by cifar10_full): x / (1 + alpha * mean(x^2 over a
// local_size x local_size window))^beta. LibTorch only ships the across-channel variant.
#pragma once
#include <torch/torch.h>

namespace xbarcut::nn {

inline torch::Tensor lrn_within_channel(const torch::Tensor& x, int64_t local_size, double alpha, double beta) {
  namespace F = torch::nn::functional;
  // Caffe averages over the padded window (divides by local_size^2), as avg_pool2d with padding counted.
  auto mean_sq = F::avg_pool2d(x * x, F::AvgPool2dFuncOptions(local_size)
                                          .stride(1)
                                          .padding(local_size / 2)
                                          .count_include_pad(true));
  return x * (1.0 + alpha * mean_sq).pow(-beta);
}

}  // namespace xbarcut::nn
