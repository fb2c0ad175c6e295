// Input feature-map reorder before crossbar-grain pruning: the input channels of each pruned layer are
// sorted by importance (L2 norm of their rows) so channels of similar importance share a crossbar row
// block, and whole row blocks of unimportant channels can go. The permutation is applied to the producing
// layer's outputs (filters, bias, bn), so the network computes exactly the same function: free in hardware.
#pragma once
#include <torch/torch.h>

#include "nn/net.hpp"

namespace xbarcut::methods::xbprune {

struct ChannelOrder {
  std::string producer, consumer;
  std::vector<int64_t> order;  // new channel i is old channel order[i]
};

// Permutes output channel order[i] -> i of weight layer `producer` (and its bn) and the matching inputs of
// `consumer` (the next weight layer; a linear after flatten permutes blocks of H*W inputs).
void permute_channels(nn::Net& net, size_t producer, size_t consumer, const std::vector<int64_t>& order);

// Reorders the inputs of every listed consumer (weight-layer indices) whose producer is the weight layer
// before it in a plain chain. Throws Error for residual nets, factorised or masked layers.
std::vector<ChannelOrder> reorder_input_channels(nn::Net& net, const std::vector<size_t>& consumers);

}  // namespace xbarcut::methods::xbprune
