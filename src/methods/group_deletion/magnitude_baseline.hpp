// The comparison the paper argues from: unstructured magnitude pruning at the same sparsity keeps most routing
// wires alive. One shot, no retraining: the smallest |w| of each matrix are zeroed until it is as sparse as
// the group-deleted matrix of the same name.
#pragma once
#include <map>
#include <string>

#include "nn/net.hpp"

namespace xbarcut::methods {

// Zero-weight counts per crossbar matrix name (only the matrices listed are pruned).
std::map<std::string, int64_t> zero_counts(const nn::Net& net, const std::vector<std::string>& matrices);

// Zeroes the `count` smallest-magnitude weights of each named matrix of `net` (ties broken by position).
// Throws xbarcut::Error on an unknown matrix name or a count beyond the matrix size.
void magnitude_prune(nn::Net& net, const std::map<std::string, int64_t>& counts);

}  // namespace xbarcut::methods
