// Reads the Conv2d and Linear weights of a TorchScript model saved from PyTorch (torch.jit.script or
// trace + save), so users can map their own networks onto crossbars.
#pragma once
#include <string>
#include <vector>

#include "hw/weight_matrix.hpp"

namespace xbarcut::nn {

// One matrix per 4-D (conv, unrolled to C_in/groups*k*k x C_out) or 2-D (linear, in x out) parameter
// named "*weight", in module order, named after its module path ("features.0"). Matrix reads per
// inference (uses) are unknown without running the model and are set to 1.
std::vector<hw::WeightMatrix> torchscript_matrices(const std::string& path);

}  // namespace xbarcut::nn
