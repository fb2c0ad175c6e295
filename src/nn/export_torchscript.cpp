#include "nn/export_torchscript.hpp"

#include <torch/script.h>


#include <fmt/core.h>

#include "common/atomic_write.hpp"
#include "common/error.hpp"

namespace xbarcut::nn {

namespace {

// A Python identifier for a layer's tensor: layer1.0.conv1 + weight -> layer1_0_conv1__weight.
std::string attribute(const std::string& layer, const std::string& what) {
  std::string s = layer + "__" + what;
  for (auto& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') ch = '_';
  if (std::isdigit(static_cast<unsigned char>(s[0]))) s = "l" + s;
  return s;
}

std::string pair(int64_t v) { return fmt::format("[{}, {}]", v, v); }

// One line of forward per layer, reading and writing variables v0, v1, ... (x is the input).
class SourceWriter {
 public:
  explicit SourceWriter(const Net& net) : net_(net), spec_(net->spec()) {}

  std::string write() {
    const auto inputs = input_indices(spec_);
    std::string code = "def forward(self, x):\n";
    std::string prev = "x";
    std::vector<std::pair<std::string, std::string>> blocks;  // residual blocks: (input, main path)
    size_t weight = 0;
    for (size_t i = 0; i < spec_.layers.size(); ++i) {
      const auto& l = spec_.layers[i];
      std::vector<std::string> in;
      for (int k : inputs[i]) in.push_back(k < 0 ? "x" : var(static_cast<size_t>(k)));
      const std::string a = in.empty() ? prev : in.front();
      const std::string out = var(i);
      std::string expr;
      if (l.is_weight_layer()) {
        expr = weight_layer(net_->weight_layers()[weight++], a, code);
      } else if (l.kind == "bn") {
        const auto n = attribute(l.name, "");
        expr = fmt::format("torch.batch_norm({0}, self.{1}weight, self.{1}bias, self.{1}running_mean, "
                           "self.{1}running_var, False, 0.1, {2}, False)",
                           a, n, l.eps);
      } else if (l.kind == "relu") {
        expr = fmt::format("torch.relu({})", a);
      } else if (l.kind == "relu6") {
        expr = fmt::format("torch.hardtanh({}, 0.0, 6.0)", a);
      } else if (l.kind == "hardswish" || l.kind == "sigmoid" || l.kind == "gelu") {
        expr = fmt::format("torch.{}({})", l.kind, a);
      } else if (l.kind == "maxpool") {
        expr = fmt::format("torch.max_pool2d({}, {}, {}, {}, [1, 1], {})", a, pair(l.kernel), pair(l.stride),
                           pair(l.pad), l.ceil_mode ? "True" : "False");
      } else if (l.kind == "avgpool") {
        expr = fmt::format("torch.avg_pool2d({}, {}, {}, {}, {}, True, None)", a, pair(l.kernel), pair(l.stride),
                           pair(l.pad), l.ceil_mode ? "True" : "False");
      } else if (l.kind == "lrn") {  // Caffe's WITHIN_CHANNEL LRN, as nn/lrn_within_channel.hpp computes it
        expr = fmt::format("{0} * (1.0 + {1} * torch.avg_pool2d({0} * {0}, {2}, [1, 1], {3}, False, True, None))"
                           ".pow(-{4})",
                           a, l.alpha, pair(l.local_size), pair(l.local_size / 2), l.beta);
      } else if (l.kind == "flatten") {
        expr = fmt::format("torch.flatten({}, 1, -1)", a);
      } else if (l.kind == "gap") {
        expr = fmt::format("torch.mean({}, [2, 3], True)", a);
      } else if (l.kind == "add") {
        expr = in[0];
        for (size_t k = 1; k < in.size(); ++k) expr += " + " + in[k];
      } else if (l.kind == "concat") {
        expr = "torch.cat([" + in[0];
        for (size_t k = 1; k < in.size(); ++k) expr += ", " + in[k];
        expr += "], 1)";
      } else if (l.kind == "res_begin") {
        blocks.emplace_back(a, "");
        expr = a;
      } else if (l.kind == "res_shortcut") {
        blocks.back().second = a;
        expr = blocks.back().first;
      } else if (l.kind == "res_add") {
        const auto [block_in, main_path] = blocks.back();
        blocks.pop_back();
        expr = main_path.empty() ? a + " + " + block_in : main_path + " + " + a;
      } else {  // dropout, identity
        expr = a;
      }
      code += fmt::format("    {} = {}\n", out, expr);
      prev = out;
    }
    return code + "    return " + prev + "\n";
  }

 private:
  static std::string var(size_t i) { return "v" + std::to_string(i); }

  std::string weight_layer(const WeightLayer& layer, const std::string& a, std::string& code) const {
    const auto& s = layer->spec();
    const auto n = attribute(s.name, "");
    const std::string bias = s.bias ? "self." + n + "bias" : "None";
    if (s.kind == "conv") {
      const std::string geometry = fmt::format("{}, {}, {}", pair(s.stride), pair(s.pad), pair(s.dilation));
      if (!layer->factorised())
        return fmt::format("torch.conv2d({}, self.{}weight, {}, {}, {})", a, n, bias, geometry, s.groups);
      code += fmt::format("    {}u = torch.conv2d({}, self.{}weight, None, {}, 1)\n", n, a, n, geometry);
      return fmt::format("torch.conv2d({}u, self.{}weight_v, {}, [1, 1], [0, 0], [1, 1], 1)", n, n, bias);
    }
    // F::linear is addmm (with a bias) or mm (without) on 2-D inputs: the same kernels, the same numbers.
    auto linear = [&](const std::string& x, const std::string& w, const std::string& b) {
      return b == "None" ? fmt::format("torch.mm({}, self.{}.t())", x, w)
                         : fmt::format("torch.addmm({}, {}, self.{}.t())", b, x, w);
    };
    if (!layer->factorised()) return linear(a, n + "weight", bias);
    code += fmt::format("    {}u = {}\n", n, linear(a, n + "weight", "None"));
    return linear(n + "u", n + "weight_v", bias);
  }

  const Net& net_;
  NetSpec spec_;
};

}  // namespace

std::string torchscript_source(const Net& net) { return SourceWriter(net).write(); }

void export_torchscript(const Net& net, const std::string& path, double input_scale, const torch::Tensor& input_mean,
                        const torch::Tensor& input_channel_scale) {
  torch::NoGradGuard guard;
  torch::jit::Module m(c10::QualifiedName("__torch__.xbarcut.Network"));
  for (const auto& layer : net->weight_layers()) {
    const auto n = attribute(layer->spec().name, "");
    const auto weights = layer->weights();
    const auto masks = layer->weight_masks();
    for (size_t i = 0; i < weights.size(); ++i) {
      // Deleted connections are exactly zero in the exported weights, masked or not.
      auto w = (masks.empty() ? weights[i] : weights[i] * masks[i]).detach().contiguous().clone();
      m.register_parameter(n + (i == 0 ? "weight" : "weight_v"), w, false);
    }
    if (layer->spec().bias) m.register_parameter(n + "bias", layer->bias().detach().clone(), false);
  }
  for (const auto& [name, bn] : net->batch_norms()) {
    const auto n = attribute(name, "");
    m.register_parameter(n + "weight", bn->weight.detach().clone(), false);
    m.register_parameter(n + "bias", bn->bias.detach().clone(), false);
    m.register_buffer(n + "running_mean", bn->running_mean.detach().clone());
    m.register_buffer(n + "running_var", bn->running_var.detach().clone());
  }
  std::string source = torchscript_source(net);
  // normalise(pixels) = (pixels - input_mean) * scale * input_channel_scale, each factor only when the checkpoint has it.
  std::string expr = "pixels";
  if (input_mean.defined()) {
    m.register_buffer("input_mean", input_mean.detach().clone());
    expr = "(pixels - self.input_mean)";
  }
  expr += fmt::format(" * {}", input_scale);
  if (input_channel_scale.defined()) {
    m.register_buffer("input_channel_scale", input_channel_scale.detach().clone());
    expr += " * self.input_channel_scale";
  }
  source += fmt::format("\ndef normalise(self, pixels):\n    return {}\n", expr);
  try {
    m.define(source);
  } catch (const c10::Error& e) {
    throw Error("internal error: the generated TorchScript does not compile: " +
                std::string(e.what_without_backtrace()).substr(0, 300));
  }
  m.eval();
  write_atomically(path, "TorchScript file", [&](const std::string& tmp) { m.save(tmp); });
}

}  // namespace xbarcut::nn
