// TorchScript -> NetSpec: one layer per tensor op of the frozen, inlined forward graph.
#include "nn/import_torchscript.hpp"

#include <torch/csrc/jit/passes/inliner.h>
#include <torch/script.h>

#include <filesystem>
#include <map>

#include <fmt/core.h>

#include "common/error.hpp"
#include "nn/imported_layers.hpp"

namespace xbarcut::nn {

namespace {

using torch::jit::Node;
using torch::jit::Value;

// Where a node came from, for messages: "model.py line 42" (the Python source the module was scripted from).
std::string origin(const Node* node) {
  auto range = node->sourceRange();
  // A scripted module saved with its debug info knows the Python source each op came from.
  if (const auto original = range.findSourceRangeThatGenerated()) range = *original;
  const auto flc = range.file_line_col();
  if (!flc) return "an unknown source line";
  return fmt::format("{} line {}", std::get<0>(*flc), std::get<1>(*flc));
}

[[noreturn]] void unsupported(const Node* node, const std::string& why = "") {
  throw Error(fmt::format("cannot import {} (from {}){}; supported: conv2d, linear, batch_norm, relu, relu6, "
                          "hardswish, sigmoid, gelu, max/avg pooling, adaptive average pooling to 1x1, flatten, add, "
                          "cat, dropout (docs/your_model.md)",
                          node->kind().toQualString(), origin(node), why.empty() ? "" : ": " + why));
}

class GraphTranslator {
 public:
  explicit GraphTranslator(std::map<const void*, std::string> param_modules) : param_modules_(std::move(param_modules)) {}

  void translate(torch::jit::Graph& graph) {
    producer_[graph.inputs().at(1)] = "input";  // inputs()[0] is the module itself
    for (Node* node : graph.nodes()) visit(node);
    const auto it = producer_.find(graph.outputs().at(0));
    graph_.check_output(it == producer_.end() ? "" : it->second);
  }

  ImportedGraph graph_;
  std::vector<std::string> skipped_;

 private:
  c10::IValue constant(const Node* node, size_t i) const {
    const auto v = torch::jit::toIValue(node->input(i));
    if (!v) unsupported(node, fmt::format("argument {} is computed at run time", i));
    return *v;
  }
  std::vector<int64_t> ints(const Node* node, size_t i) const {
    const auto v = constant(node, i);
    if (v.isInt()) return {v.toInt()};
    return v.toIntVector();
  }
  // One value for both spatial dimensions (xbarcut layers are square in kernel, stride, padding, dilation).
  int64_t square(const Node* node, size_t i, const char* what, int64_t if_empty = 0) const {
    const auto v = ints(node, i);
    if (v.empty()) return if_empty;
    if (v.size() == 2 && v[0] != v[1]) unsupported(node, fmt::format("a non-square {} {}x{}", what, v[0], v[1]));
    return v[0];
  }
  bool is_none(const Node* node, size_t i) const {
    const auto v = torch::jit::toIValue(node->input(i));
    return v && v->isNone();
  }
  std::string source(const Node* node, size_t i) const {
    const auto it = producer_.find(node->input(i));
    if (it == producer_.end()) unsupported(node, fmt::format("argument {} is not a tensor of the network", i));
    return it->second;
  }
  // The module path of a parameter value ("layer1.0.conv1" for self.layer1.0.conv1.weight), or "".
  std::string module_of(const Value* v, const torch::Tensor& t) const {
    std::string name = v->debugName();
    if (name.rfind("self.", 0) == 0) {
      name = name.substr(5);
      const auto dot = name.rfind('.');
      return dot == std::string::npos ? "" : name.substr(0, dot);
    }
    const auto it = param_modules_.find(t.data_ptr());  // a constant freezing renamed but did not copy
    return it == param_modules_.end() ? "" : it->second;
  }
  // Adds `l` reading `from`; the node's output is the new layer's.
  void add(LayerSpec l, const std::vector<std::string>& from, const Node* node, LayerTensors tensors = {}) {
    producer_[node->output(0)] = graph_.add(std::move(l), from, std::move(tensors));
  }
  void pass_through(const Node* node) { producer_[node->output(0)] = source(node, 0); }

  void conv(const Node* node, bool underscore) {
    // conv2d(x, w, b, stride, padding, dilation, groups);
    // _convolution(x, w, b, stride, padding, dilation, transposed, output_padding, groups, ...)
    if (underscore && constant(node, 6).toBool()) unsupported(node, "transposed convolutions");
    const auto w = constant(node, 1).toTensor();
    if (w.dim() != 4) unsupported(node, "only 2-D convolutions");
    if (w.size(2) != w.size(3)) unsupported(node, fmt::format("a non-square {}x{} kernel", w.size(2), w.size(3)));
    LayerSpec l;
    l.kind = "conv";
    l.name = module_of(node->input(1), w);
    l.out = w.size(0);
    l.kernel = w.size(2);
    l.stride = square(node, 3, "stride", 1);
    l.dilation = square(node, 5, "dilation", 1);
    const auto pad = constant(node, 4);
    if (pad.isString())
      l.pad = pad.toStringRef() == "valid" ? 0 : l.dilation * (l.kernel - 1) / 2;  // "same" (stride 1, odd kernel)
    else
      l.pad = square(node, 4, "padding");
    l.groups = constant(node, underscore ? 8 : 6).toInt();
    l.bias = !is_none(node, 2);
    l.lr_mult_bias = 1.0;  // PyTorch's habit, not Caffe's 2x
    add(l, {source(node, 0)}, node, {w, l.bias ? constant(node, 2).toTensor() : torch::Tensor(), {}, {}});
  }
  void linear(const Node* node, const torch::Tensor& w, const c10::IValue& bias, size_t x_input) {
    LayerSpec l;
    l.kind = "linear";
    l.name = module_of(node->input(node->kind() == c10::Symbol::fromQualString("aten::addmm") ? 2 : 1), w);
    l.out = w.size(0);
    l.bias = !bias.isNone();
    l.lr_mult_bias = 1.0;
    add(l, {source(node, x_input)}, node, {w, l.bias ? bias.toTensor() : torch::Tensor(), {}, {}});
  }
  void batch_norm(const Node* node) {
    // batch_norm(x, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled)
    const auto mean = constant(node, 3).toTensor(), var = constant(node, 4).toTensor();
    LayerSpec l;
    l.kind = "bn";
    for (size_t i : {1, 2, 3, 4}) {  // the first of its tensors whose (pooled) constant still names a free module
      const auto name = is_none(node, i) ? std::string() : module_of(node->input(i), constant(node, i).toTensor());
      if (!name.empty() && !graph_.taken(name)) {
        l.name = name;
        break;
      }
    }
    l.out = mean.size(0);
    l.eps = constant(node, 7).toDouble();
    add(l, {source(node, 0)}, node,
        {is_none(node, 1) ? torch::ones_like(mean) : constant(node, 1).toTensor(),
         is_none(node, 2) ? torch::zeros_like(mean) : constant(node, 2).toTensor(), mean, var});
  }
  void pool(const Node* node, const std::string& kind) {
    // max_pool2d(x, kernel, stride, padding, dilation, ceil_mode);
    // avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
    LayerSpec l;
    l.kind = kind;
    l.kernel = square(node, 1, "kernel");
    l.stride = square(node, 2, "stride", l.kernel);
    l.pad = square(node, 3, "padding");
    if (kind == "maxpool") {
      if (square(node, 4, "dilation", 1) != 1) unsupported(node, "dilated pooling");
      l.ceil_mode = constant(node, 5).toBool();
    } else {
      l.ceil_mode = constant(node, 4).toBool();
      if (l.pad > 0 && !constant(node, 5).toBool()) unsupported(node, "count_include_pad=False with padding");
      if (!is_none(node, 6)) unsupported(node, "divisor_override");
    }
    add(l, {source(node, 0)}, node);
  }
  void simple(const Node* node, const std::string& kind) {
    LayerSpec l;
    l.kind = kind;
    add(l, {source(node, 0)}, node);
  }
  void flatten_to_2d(const Node* node) {
    LayerSpec l;
    l.kind = "flatten";
    add(l, {source(node, 0)}, node);
  }

  void visit(Node* node) {
    const std::string kind = node->kind().toQualString();
    auto is = [&](std::initializer_list<const char*> names) {
      for (const char* n : names)
        if (kind == n) return true;
      return false;
    };
    if (is({"prim::Constant", "prim::ListConstruct"})) return;
    if (is({"aten::conv2d"})) return conv(node, false);
    if (is({"aten::_convolution"})) return conv(node, true);
    if (is({"aten::linear"}))
      return linear(node, constant(node, 1).toTensor(), constant(node, 2), 0);
    if (is({"aten::addmm"})) {  // addmm(bias, x, w^T, beta, alpha): an older exporter's linear
      if (constant(node, 3).toScalar().toDouble() != 1 || constant(node, 4).toScalar().toDouble() != 1)
        unsupported(node, "addmm with beta or alpha other than 1");
      return linear(node, constant(node, 2).toTensor().t().contiguous(), constant(node, 0), 1);
    }
    if (is({"aten::batch_norm"})) return batch_norm(node);
    if (is({"aten::relu", "aten::relu_"})) return simple(node, "relu");
    if (is({"aten::relu6", "aten::relu6_"})) return simple(node, "relu6");
    if (is({"aten::hardtanh", "aten::hardtanh_"})) {
      if (constant(node, 1).toScalar().toDouble() != 0 || constant(node, 2).toScalar().toDouble() != 6)
        unsupported(node, "hardtanh other than ReLU6 (0, 6)");
      return simple(node, "relu6");
    }
    if (is({"aten::hardswish", "aten::hardswish_"})) return simple(node, "hardswish");
    if (is({"aten::sigmoid", "aten::sigmoid_"})) return simple(node, "sigmoid");
    if (is({"aten::gelu"})) {
      if (node->inputs().size() > 1 && constant(node, 1).toStringRef() != "none") unsupported(node, "tanh GELU");
      return simple(node, "gelu");
    }
    if (is({"aten::max_pool2d"})) return pool(node, "maxpool");
    if (is({"aten::avg_pool2d"})) return pool(node, "avgpool");
    if (is({"aten::adaptive_avg_pool2d"})) {
      const auto size = ints(node, 1);
      for (int64_t s : size)
        if (s != 1) unsupported(node, "adaptive average pooling to other than 1x1");
      return simple(node, "gap");
    }
    if (is({"aten::mean"})) {  // x.mean([2, 3], keepdim): global average pooling
      auto dims = ints(node, 1);
      for (auto& d : dims) d = d < 0 ? d + 4 : d;
      std::sort(dims.begin(), dims.end());
      if (dims != std::vector<int64_t>{2, 3}) unsupported(node, "a mean over other than the spatial dimensions");
      simple(node, "gap");
      if (constant(node, 2).toBool()) return;
      LayerSpec flat;  // keepdim=False: the pooled channels as a 2-D tensor
      flat.kind = "flatten";
      return add(flat, {graph_.layers.back().name}, node);
    }
    if (is({"aten::flatten"})) {
      if (constant(node, 1).toInt() != 1 || constant(node, 2).toInt() != -1) unsupported(node, "flatten other than (1, -1)");
      return flatten_to_2d(node);
    }
    if (is({"aten::view", "aten::reshape"})) {  // x.view(x.size(0), -1): a flatten
      const auto* list = node->input(1)->node();
      if (list->kind().toQualString() != std::string("prim::ListConstruct") || list->inputs().size() != 2)
        unsupported(node, "a reshape other than to (batch, -1)");
      const auto last = torch::jit::toIValue(list->input(1));
      if (!last || !last->isInt() || last->toInt() != -1) unsupported(node, "a reshape other than to (batch, -1)");
      return flatten_to_2d(node);
    }
    if (is({"aten::add", "aten::add_"})) {
      if (producer_.find(node->input(1)) == producer_.end()) unsupported(node, "adding a constant");
      if (node->inputs().size() > 2 && constant(node, 2).toScalar().toDouble() != 1) unsupported(node, "add with alpha");
      LayerSpec l;
      l.kind = "add";
      return add(l, {source(node, 0), source(node, 1)}, node);
    }
    if (is({"aten::cat"})) {
      const auto* list = node->input(0)->node();
      int64_t dim = constant(node, 1).toInt();
      if (dim != 1 && dim != -3) unsupported(node, "concatenation along other than the channels");
      LayerSpec l;
      l.kind = "concat";
      std::vector<std::string> from;
      for (size_t i = 0; i < list->inputs().size(); ++i) from.push_back(source(list, i));
      return add(l, from, node);
    }
    if (is({"aten::dropout", "aten::dropout_", "aten::feature_dropout", "aten::contiguous", "aten::detach",
            "aten::clone"})) {
      skipped_.push_back(kind);
      return pass_through(node);
    }
    // Shape arithmetic and checks (x.size(0), assert-like branches that raise): nothing that computes a tensor.
    bool tensor_out = false;
    for (const auto* o : node->outputs()) tensor_out |= o->type()->kind() == c10::TypeKind::TensorType;
    if (!tensor_out && (kind.rfind("aten::", 0) == 0 || is({"prim::If", "prim::RaiseException", "prim::NumToTensor",
                                                              "prim::TupleConstruct", "prim::GetAttr"}))) {
      skipped_.push_back(kind);
      return;
    }
    unsupported(node);
  }

  std::map<const void*, std::string> param_modules_;  // parameter data -> module path
  std::map<const Value*, std::string> producer_;     // tensor value -> the layer (or "input") that computes it
};

}  // namespace

std::vector<int64_t> parse_input_shape(const std::string& text) {
  std::vector<int64_t> shape;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t x = text.find_first_of("xX", pos);
    const std::string part = text.substr(pos, x == std::string::npos ? std::string::npos : x - pos);
    try {
      size_t used = 0;
      const int64_t v = std::stoll(part, &used);
      if (used != part.size() || v <= 0) throw std::invalid_argument(part);
      shape.push_back(v);
    } catch (const std::logic_error&) {
      shape.clear();
      break;
    }
    if (x == std::string::npos) break;
    pos = x + 1;
  }
  if (shape.size() != 3)
    throw Error("bad `input` '" + text + "': give one example's channels x height x width, e.g. 3x32x32 or 1x28x28");
  return shape;
}

ImportedModel import_torchscript(const std::string& path, const ImportOptions& o) {
  if (o.input.size() != 3) throw Error("`input` must be channels x height x width, e.g. 3x32x32");
  if (!std::filesystem::is_regular_file(path)) throw Error("TorchScript file " + path + " does not exist");
  torch::jit::Module module;
  try {
    module = torch::jit::load(path, torch::kCPU);
  } catch (const c10::Error&) {
    throw Error("cannot read " + path + " as TorchScript: save it from PyTorch with torch.jit.script(model).save(path) "
                "or torch.jit.trace(model, example).save(path)");
  }
  module.eval();
  std::map<const void*, std::string> param_modules;  // for constants freezing renamed
  for (const auto& p : module.named_parameters(true)) {
    const auto dot = p.name.rfind('.');
    param_modules[p.value.data_ptr()] = dot == std::string::npos ? "" : p.name.substr(0, dot);
  }
  torch::jit::Module frozen;
  try {
    frozen = torch::jit::freeze(module, c10::nullopt, /*optimize_numerics=*/false);
  } catch (const c10::Error& e) {
    throw Error("cannot freeze " + path + " for import: " + std::string(e.what_without_backtrace()).substr(0, 200));
  }
  auto graph = frozen.get_method("forward").graph()->copy();
  torch::jit::Inline(*graph);
  GraphTranslator t(param_modules);
  t.translate(*graph);

  ImportedModel r;
  r.net = build_imported_net("torchscript:" + std::filesystem::path(path).stem().string(), o.input, t.graph_.layers,
                             t.graph_.tensors);
  r.ops_skipped = t.skipped_;
  for (const auto& p : r.net->parameters()) r.parameters += p.numel();

  // Parity: the same random batch through both.
  torch::NoGradGuard guard;
  auto gen = at::detail::createCPUGenerator(0);
  std::vector<int64_t> shape{o.parity_batch};
  shape.insert(shape.end(), o.input.begin(), o.input.end());
  const auto x = at::randn(shape, gen);
  torch::Tensor expected;
  try {
    expected = module.forward({x}).toTensor();
  } catch (const c10::Error& e) {
    throw Error(fmt::format("the module rejects {}x{}x{} inputs ({}); give its --input shape", o.input[0], o.input[1],
                            o.input[2], std::string(e.what_without_backtrace()).substr(0, 160)));
  }
  r.net->eval();
  const auto got = r.net->forward(x);
  if (got.sizes() != expected.sizes())
    throw Error(fmt::format("the imported network gives outputs of shape {} where the module gives {}",
                            c10::str(got.sizes()), c10::str(expected.sizes())));
  const double parity =
      (got - expected).abs().max().item<double>() / std::max(1e-12, expected.abs().max().item<double>());
  if (!(parity <= o.tolerance))
    throw Error(fmt::format("the imported network's outputs differ from the module's by {:.3g} (relative, tolerance "
                            "{:g}); an op was translated wrongly: please report it with the model",
                            parity, o.tolerance));
  r.parity = parity;
  r.net->train();
  return r;
}

}  // namespace xbarcut::nn
