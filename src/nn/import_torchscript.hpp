// A PyTorch network saved as TorchScript (torch.jit.script or torch.jit.trace, then .save) as an xbarcut network:
// the module is frozen and inlined, and every aten op of its forward graph becomes a layer of a NetSpec DAG with the
// module's own names (features.0, layer1.0.conv1). The import checks itself: both networks run on the same batch
// and the import is refused when their outputs differ.
#pragma once
#include <string>
#include <vector>

#include "nn/imported_layers.hpp"

namespace xbarcut::nn {

struct ImportOptions {
  std::vector<int64_t> input;  // C, H, W of one example
  double tolerance = 1e-4;     // largest relative output difference accepted (max |a - b| / max |a|)
  int64_t parity_batch = 2;    // random examples the parity check runs (2 keeps a ResNet-50 import fast)
};

// Throws a one-line xbarcut::Error for a missing or foreign file, an op it cannot translate (naming the op and its
// source line), an input shape the module rejects, or a parity failure.
ImportedModel import_torchscript(const std::string& path, const ImportOptions& options);

// "3x32x32" -> {3, 32, 32}; throws a one-line Error naming `input` for anything else.
std::vector<int64_t> parse_input_shape(const std::string& text);

}  // namespace xbarcut::nn
