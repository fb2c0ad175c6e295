// TorchScript weight import.
#include "nn/torchscript_import.hpp"

#include <torch/script.h>

#include <filesystem>

#include "common/error.hpp"
#include "nn/crossbar_view.hpp"

namespace xbarcut::nn {

std::vector<hw::WeightMatrix> torchscript_matrices(const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error("TorchScript file " + path + " does not exist");
  torch::jit::Module module;
  try {
    module = torch::jit::load(path, torch::kCPU);
  } catch (const c10::Error&) {
    throw Error("cannot read " + path + " as TorchScript: save it from PyTorch with torch.jit.script(model).save(path)");
  }
  std::vector<hw::WeightMatrix> out;
  for (const auto& p : module.named_parameters(/*recurse=*/true)) {
    const std::string& name = p.name;
    const auto& w = p.value;
    const std::string suffix = "weight";
    if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    if (w.dim() != 2 && w.dim() != 4) continue;  // batch-norm scales and the like are not crossbar weights
    std::string layer = name.substr(0, name.size() - suffix.size());
    if (!layer.empty() && layer.back() == '.') layer.pop_back();
    if (layer.empty()) layer = "layer" + std::to_string(out.size());
    out.push_back(to_weight_matrix(layer, w.detach().reshape({w.size(0), -1}).t()));
  }
  if (out.empty()) throw Error(path + " holds no Conv2d or Linear weight to map");
  return out;
}

}  // namespace xbarcut::nn
