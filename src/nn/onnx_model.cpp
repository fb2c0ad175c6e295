#include "nn/onnx_model.hpp"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/core.h>

#include "common/atomic_write.hpp"
#include "common/error.hpp"
#include "nn/imported_layers.hpp"

namespace xbarcut::nn {

namespace {

torch::Tensor to_tensor(const onnx::TensorProto& t) {
  std::vector<int64_t> dims(t.dims().begin(), t.dims().end());
  if (t.data_type() == onnx::TensorProto::FLOAT) {
    if (!t.raw_data().empty())
      return torch::from_blob(const_cast<char*>(t.raw_data().data()), dims, torch::kFloat32).clone();
    return torch::tensor(std::vector<float>(t.float_data().begin(), t.float_data().end())).reshape(dims);
  }
  if (t.data_type() == onnx::TensorProto::INT64) {
    if (!t.raw_data().empty())
      return torch::from_blob(const_cast<char*>(t.raw_data().data()), dims, torch::kInt64).clone();
    return torch::tensor(std::vector<int64_t>(t.int64_data().begin(), t.int64_data().end())).reshape(dims);
  }
  throw Error(fmt::format("ONNX tensor {} has data type {}; only float32 and int64 are read", t.name(), t.data_type()));
}

class OnnxTranslator {
 public:
  explicit OnnxTranslator(const onnx::GraphProto& g) {
    for (const auto& init : g.initializer()) constants_[init.name()] = to_tensor(init);
    producer_[g.input(0).name()] = "input";
    for (const auto& node : g.node()) visit(node);
    const auto it = producer_.find(g.output(0).name());
    graph_.check_output(it == producer_.end() ? "" : it->second);
  }

  ImportedGraph graph_;
  std::vector<std::string> skipped_;

 private:
  [[noreturn]] void unsupported(const onnx::NodeProto& n, const std::string& why = "") const {
    throw Error(fmt::format("cannot import ONNX op {} (node {}){}; supported: Conv, Gemm, BatchNormalization, Relu, "
                            "Clip(0, 6), HardSwish, Sigmoid, MaxPool, AveragePool, GlobalAveragePool, Flatten, "
                            "Reshape to (batch, -1), Add, Concat, Dropout, Identity (docs/your_model.md)",
                            n.op_type(), n.name(), why.empty() ? "" : ": " + why));
  }
  const onnx::AttributeProto* attr(const onnx::NodeProto& n, const std::string& name) const {
    for (const auto& a : n.attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t fallback) const {
    const auto* a = attr(n, name);
    return a ? a->i() : fallback;
  }
  float attr_float(const onnx::NodeProto& n, const std::string& name, float fallback) const {
    const auto* a = attr(n, name);
    return a ? a->f() : fallback;
  }
  // A square value from a 2-D attribute (kernel_shape, strides, dilations); pads must be the same on all sides.
  int64_t square(const onnx::NodeProto& n, const std::string& name, int64_t fallback) const {
    const auto* a = attr(n, name);
    if (!a || a->ints().empty()) return fallback;
    for (int64_t v : a->ints())
      if (v != a->ints(0)) unsupported(n, "a non-square or asymmetric " + name);
    return a->ints(0);
  }
  torch::Tensor constant(const onnx::NodeProto& n, int i) const {
    const auto it = constants_.find(n.input(i));
    if (it == constants_.end()) unsupported(n, fmt::format("input {} is not a constant", i));
    return it->second;
  }
  bool is_network(const std::string& value) const { return producer_.count(value) > 0; }
  std::string source(const onnx::NodeProto& n, int i) const {
    const auto it = producer_.find(n.input(i));
    if (it == producer_.end()) unsupported(n, fmt::format("input {} is not a tensor of the network", i));
    return it->second;
  }
  // The module path PyTorch's exporter puts in node names: "/layer1/layer1.0/conv1/Conv" -> "layer1.0.conv1"; a
  // scope holds the full path ("layer1.0") or one relative to its parent ("shortcut.0" under "layer1.0.shortcut").
  std::string module_of(const onnx::NodeProto& n, const std::string& fallback) {
    const std::string& full = n.name();
    std::string path;
    for (size_t pos = 1, next; (next = full.find('/', pos)) != std::string::npos; pos = next + 1) {
      const std::string scope = full.substr(pos, next - pos);
      if (!path.empty() && scope.rfind(path + ".", 0) == 0) path = scope;
      else if (scope.find('.') != std::string::npos && !path.empty()) path += scope.substr(scope.find('.'));
      else path = path.empty() ? scope : path + "." + scope;
    }
    return path.empty() ? fallback + "_" + std::to_string(graph_.layers.size()) : path;
  }
  // Adds `l` reading `from`; the node's output is the new layer's.
  void add(LayerSpec l, const std::vector<std::string>& from, const onnx::NodeProto& n, LayerTensors tensors = {}) {
    producer_[n.output(0)] = graph_.add(std::move(l), from, std::move(tensors));
  }
  void simple(const onnx::NodeProto& n, const std::string& kind) {
    LayerSpec l;
    l.kind = kind;
    add(l, {source(n, 0)}, n);
  }

  void visit(const onnx::NodeProto& n) {
    const std::string& op = n.op_type();
    bool network_input = false;
    for (const auto& in : n.input()) network_input |= is_network(in);
    if (op == "Constant") {
      if (const auto* v = attr(n, "value")) constants_[n.output(0)] = to_tensor(v->t());
      return;
    }
    if (!network_input || op == "Shape") {  // shape arithmetic (Shape, Gather, Unsqueeze, Concat of sizes)
      skipped_.push_back(op);
      return;
    }
    if (op == "Conv") {
      const auto w = constant(n, 1);
      if (w.dim() != 4 || w.size(2) != w.size(3)) unsupported(n, "only square 2-D convolutions");
      LayerSpec l;
      l.kind = "conv";
      l.name = module_of(n, "conv");
      l.out = w.size(0);
      l.kernel = w.size(2);
      l.stride = square(n, "strides", 1);
      l.pad = square(n, "pads", 0);
      l.dilation = square(n, "dilations", 1);
      l.groups = attr_int(n, "group", 1);
      l.bias = n.input_size() > 2 && !n.input(2).empty();
      l.lr_mult_bias = 1.0;
      return add(l, {source(n, 0)}, n, {w, l.bias ? constant(n, 2) : torch::Tensor(), {}, {}});
    }
    if (op == "Gemm") {
      if (attr_int(n, "transA", 0) != 0 || attr_float(n, "alpha", 1) != 1 || attr_float(n, "beta", 1) != 1)
        unsupported(n, "Gemm other than x W^T + b");
      auto w = constant(n, 1);
      if (attr_int(n, "transB", 0) == 0) w = w.t().contiguous();
      LayerSpec l;
      l.kind = "linear";
      l.name = module_of(n, "fc");
      l.out = w.size(0);
      l.bias = n.input_size() > 2 && !n.input(2).empty();
      l.lr_mult_bias = 1.0;
      return add(l, {source(n, 0)}, n, {w, l.bias ? constant(n, 2).reshape({-1}) : torch::Tensor(), {}, {}});
    }
    if (op == "BatchNormalization") {
      LayerSpec l;
      l.kind = "bn";
      l.name = module_of(n, "bn");
      const auto mean = constant(n, 3);
      l.out = mean.size(0);
      l.eps = attr_float(n, "epsilon", 1e-5f);
      return add(l, {source(n, 0)}, n, {constant(n, 1), constant(n, 2), mean, constant(n, 4)});
    }
    if (op == "Relu") return simple(n, "relu");
    if (op == "Sigmoid") return simple(n, "sigmoid");
    if (op == "HardSwish") return simple(n, "hardswish");
    if (op == "Clip") {
      const double lo = n.input_size() > 1 ? constant(n, 1).item<double>() : attr_float(n, "min", 0);
      const double hi = n.input_size() > 2 ? constant(n, 2).item<double>() : attr_float(n, "max", 0);
      if (lo != 0 || hi != 6) unsupported(n, "Clip other than ReLU6 (0, 6)");
      return simple(n, "relu6");
    }
    if (op == "MaxPool" || op == "AveragePool") {
      LayerSpec l;
      l.kind = op == "MaxPool" ? "maxpool" : "avgpool";
      l.kernel = square(n, "kernel_shape", 1);
      l.stride = square(n, "strides", 1);
      l.pad = square(n, "pads", 0);
      l.ceil_mode = attr_int(n, "ceil_mode", 0) != 0;
      if (square(n, "dilations", 1) != 1) unsupported(n, "dilated pooling");
      if (op == "AveragePool" && l.pad > 0 && attr_int(n, "count_include_pad", 0) == 0)
        unsupported(n, "count_include_pad=0 with padding");
      return add(l, {source(n, 0)}, n);
    }
    if (op == "GlobalAveragePool") return simple(n, "gap");
    if (op == "Flatten") {
      if (attr_int(n, "axis", 1) != 1) unsupported(n, "Flatten with axis other than 1");
      return simple(n, "flatten");
    }
    if (op == "Reshape") {  // x.view(x.size(0), -1): a flatten (the shape is computed, or a constant (N, -1))
      const auto it = constants_.find(n.input(1));
      if (it != constants_.end() && (it->second.numel() != 2 || it->second[1].item<int64_t>() != -1))
        unsupported(n, "a reshape other than to (batch, -1)");
      return simple(n, "flatten");
    }
    if (op == "Add") {
      if (!is_network(n.input(0)) || !is_network(n.input(1))) unsupported(n, "adding a constant");
      LayerSpec l;
      l.kind = "add";
      return add(l, {source(n, 0), source(n, 1)}, n);
    }
    if (op == "Concat") {
      if (attr_int(n, "axis", 1) != 1) unsupported(n, "concatenation along other than the channels");
      LayerSpec l;
      l.kind = "concat";
      std::vector<std::string> from;
      for (int i = 0; i < n.input_size(); ++i) from.push_back(source(n, i));
      return add(l, from, n);
    }
    if (op == "Pad") {  // the exporter's explicit zero padding before a pooling with none
      const auto pads = constant(n, 1);
      if (pads.abs().sum().item<int64_t>() != 0) unsupported(n, "non-zero padding outside a conv or pooling");
    } else if (op != "Dropout" && op != "Identity") {
      unsupported(n);
    }
    skipped_.push_back(op);
    producer_[n.output(0)] = source(n, 0);
  }

  std::map<std::string, torch::Tensor> constants_;
  std::map<std::string, std::string> producer_;
};

// Builds the ONNX graph of a network, one node (or two, for a factorised layer) per layer.
class OnnxWriter {
 public:
  explicit OnnxWriter(onnx::GraphProto& g) : g_(g) {}

  std::string initializer(const std::string& name, const torch::Tensor& t) {
    auto* init = g_.add_initializer();
    init->set_name(name);
    const auto c = t.detach().to(torch::kFloat32).contiguous();
    for (int64_t d : c.sizes()) init->add_dims(d);
    init->set_data_type(onnx::TensorProto::FLOAT);
    init->set_raw_data(std::string(static_cast<const char*>(c.data_ptr()), c.numel() * sizeof(float)));
    return name;
  }
  std::string node(const std::string& op, const std::vector<std::string>& in, const std::string& out,
                   const std::map<std::string, std::vector<int64_t>>& ints = {},
                   const std::map<std::string, float>& floats = {}) {
    auto* n = g_.add_node();
    n->set_op_type(op);
    n->set_name(out);
    for (const auto& i : in) n->add_input(i);
    n->add_output(out);
    for (const auto& [k, v] : ints) {
      auto* a = n->add_attribute();
      a->set_name(k);
      if (k == "group" || k == "ceil_mode" || k == "axis" || k == "transB" || k == "count_include_pad") {
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(v.at(0));
      } else {
        a->set_type(onnx::AttributeProto::INTS);
        for (int64_t x : v) a->add_ints(x);
      }
    }
    for (const auto& [k, v] : floats) {
      auto* a = n->add_attribute();
      a->set_name(k);
      a->set_type(onnx::AttributeProto::FLOAT);
      a->set_f(v);
    }
    return out;
  }

 private:
  onnx::GraphProto& g_;
};

}  // namespace

ImportedModel import_onnx(const std::string& path, const std::vector<int64_t>& input) {
  if (!std::filesystem::is_regular_file(path)) throw Error("ONNX file " + path + " does not exist");
  onnx::ModelProto model;
  std::ifstream in(path, std::ios::binary);
  if (!model.ParseFromIstream(&in) || model.graph().input_size() < 1 || model.graph().output_size() < 1)
    throw Error("cannot read " + path + " as ONNX: write it from PyTorch with torch.onnx.export(model, example, path)");
  OnnxTranslator t(model.graph());
  ImportedModel r;
  r.net = build_imported_net("onnx:" + std::filesystem::path(path).stem().string(), input, t.graph_.layers,
                             t.graph_.tensors);
  for (const auto& p : r.net->parameters()) r.parameters += p.numel();
  r.ops_skipped = t.skipped_;
  return r;
}

void export_onnx(const Net& net, const std::string& path) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("xbarcut");
  model.add_opset_import()->set_version(14);
  auto& g = *model.mutable_graph();
  g.set_name(net->spec().name);
  OnnxWriter w(g);
  const auto spec = net->spec();
  const auto inputs = input_indices(spec);
  auto io = [&](const std::string& name, int64_t c, int64_t h, int64_t wd, bool flat) {
    auto* v = name == "input" ? g.add_input() : g.add_output();
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    t->mutable_shape()->add_dim()->set_dim_param("batch");
    for (int64_t d : flat ? std::vector<int64_t>{c} : std::vector<int64_t>{c, h, wd}) t->mutable_shape()->add_dim()->set_dim_value(d);
  };
  io("input", spec.input[0], spec.input[1], spec.input[2], false);
  torch::NoGradGuard guard;
  std::vector<std::string> out(spec.layers.size());
  std::vector<std::pair<std::string, std::string>> blocks;
  std::string prev = "input";
  size_t weight = 0;
  const auto k2 = [](int64_t v) { return std::vector<int64_t>{v, v}; };
  const auto k4 = [](int64_t v) { return std::vector<int64_t>{v, v, v, v}; };
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const auto& l = spec.layers[i];
    std::vector<std::string> in;
    for (int k : inputs[i]) in.push_back(k < 0 ? "input" : out[static_cast<size_t>(k)]);
    const std::string a = in.empty() ? prev : in.front();
    const std::string name = l.name.empty() ? fmt::format("{}_{}", l.kind, i) : l.name;
    if (l.is_weight_layer()) {
      const auto layer = net->weight_layers()[weight++];
      const auto ws = layer->weights();
      const auto masks = layer->weight_masks();
      auto wt = [&](size_t j) { return masks.empty() ? ws[j] : ws[j] * masks[j]; };
      const std::string b = l.bias ? w.initializer(name + ".bias", layer->bias()) : "";
      std::string x = a;
      if (l.kind == "conv") {
        const std::map<std::string, std::vector<int64_t>> geo{{"kernel_shape", k2(l.kernel)}, {"strides", k2(l.stride)},
                                                              {"pads", k4(l.pad)}, {"dilations", k2(l.dilation)},
                                                              {"group", {l.groups}}};
        if (layer->factorised()) {
          x = w.node("Conv", {x, w.initializer(name + ".weight", wt(0))}, name + "_u", geo);
          out[i] = w.node("Conv", {x, w.initializer(name + ".weight_v", wt(1)), b}, name,
                          {{"kernel_shape", k2(1)}, {"group", {1}}});
        } else {
          out[i] = w.node("Conv", {x, w.initializer(name + ".weight", wt(0)), b}, name, geo);
        }
      } else {
        if (layer->factorised())
          x = w.node("Gemm", {x, w.initializer(name + ".weight", wt(0))}, name + "_u", {{"transB", {1}}});
        out[i] = w.node("Gemm", {x, w.initializer(name + (layer->factorised() ? ".weight_v" : ".weight"),
                                                  wt(layer->factorised() ? 1 : 0)), b},
                        name, {{"transB", {1}}});
      }
    } else if (l.kind == "bn") {
      torch::nn::BatchNorm2d bn{nullptr};
      for (const auto& [n, m] : net->batch_norms())
        if (n == l.name) bn = m;
      out[i] = w.node("BatchNormalization",
                      {a, w.initializer(name + ".weight", bn->weight), w.initializer(name + ".bias", bn->bias),
                       w.initializer(name + ".running_mean", bn->running_mean),
                       w.initializer(name + ".running_var", bn->running_var)},
                      name, {}, {{"epsilon", static_cast<float>(l.eps)}});
    } else if (l.kind == "relu" || l.kind == "sigmoid" || l.kind == "hardswish") {
      out[i] = w.node(l.kind == "relu" ? "Relu" : l.kind == "sigmoid" ? "Sigmoid" : "HardSwish", {a}, name);
    } else if (l.kind == "relu6") {
      out[i] = w.node("Clip", {a, w.initializer(name + ".min", torch::tensor(0.0f).reshape({})),
                               w.initializer(name + ".max", torch::tensor(6.0f).reshape({}))}, name);
    } else if (l.kind == "maxpool" || l.kind == "avgpool") {
      std::map<std::string, std::vector<int64_t>> attrs{{"kernel_shape", k2(l.kernel)}, {"strides", k2(l.stride)},
                                                        {"pads", k4(l.pad)}, {"ceil_mode", {l.ceil_mode ? 1 : 0}}};
      if (l.kind == "avgpool") attrs["count_include_pad"] = {1};
      out[i] = w.node(l.kind == "maxpool" ? "MaxPool" : "AveragePool", {a}, name, attrs);
    } else if (l.kind == "gap") {
      out[i] = w.node("GlobalAveragePool", {a}, name);
    } else if (l.kind == "flatten") {
      out[i] = w.node("Flatten", {a}, name, {{"axis", {1}}});
    } else if (l.kind == "add" || l.kind == "res_add") {
      std::vector<std::string> terms = in;
      if (l.kind == "res_add") {
        const auto [block_in, main_path] = blocks.back();
        blocks.pop_back();
        terms = {main_path.empty() ? a : main_path, main_path.empty() ? block_in : a};
      }
      std::string acc = terms[0];
      for (size_t k = 1; k < terms.size(); ++k)
        acc = w.node("Add", {acc, terms[k]}, k + 1 == terms.size() ? name : fmt::format("{}_{}", name, k));
      out[i] = acc;
    } else if (l.kind == "concat") {
      out[i] = w.node("Concat", in, name, {{"axis", {1}}});
    } else if (l.kind == "res_begin" || l.kind == "res_shortcut") {
      if (l.kind == "res_begin") blocks.emplace_back(a, "");
      else blocks.back().second = a;
      out[i] = l.kind == "res_begin" ? a : blocks.back().first;
    } else if (l.kind == "dropout" || l.kind == "identity") {
      out[i] = a;
    } else {
      throw Error("cannot export layer kind '" + l.kind + "' to ONNX (opset 14) yet; export --torchscript instead");
    }
    prev = out[i];
  }
  w.node("Identity", {prev}, "logits");
  io("logits", spec.classes, 1, 1, true);
  write_atomically(path, "ONNX file", [&](const std::string& tmp) {
    std::ofstream file(tmp, std::ios::binary);
    if (!model.SerializeToOstream(&file)) throw std::runtime_error("serialise");
  });
}

}  // namespace xbarcut::nn
