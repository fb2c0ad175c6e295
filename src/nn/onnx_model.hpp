// ONNX in and out, through Debian's libonnx (the protobuf model). Import reads what PyTorch 1.13's exporter writes
// (opsets 11-17) into a NetSpec DAG; export writes an xbarcut network as an opset-14 model that onnx.checker accepts
// and that imports back to the same network. No ONNX runtime is involved: tests compare with PyTorch.
#pragma once
#include <string>
#include <vector>

#include "nn/imported_layers.hpp"

namespace xbarcut::nn {

// Throws a one-line xbarcut::Error for a missing or foreign file, or an op it cannot translate (naming the op and
// its node).
// No parity is measured (no ONNX runtime here); ops_skipped lists shape arithmetic, dropout and zero padding.
ImportedModel import_onnx(const std::string& path, const std::vector<int64_t>& input);

// Writes `net` as ONNX to `path` (atomically): input "input" (batch x C x H x W, normalised as the checkpoint's
// input transform says), output "logits"; factorised layers as two layers, deleted weights zero.
void export_onnx(const Net& net, const std::string& path);

}  // namespace xbarcut::nn
