// Model zoo and shape inference. The Caffe models follow the prototxt files shipped with Caffe
// (examples/mnist/lenet_train_test.prototxt, examples/cifar10/cifar10_full_train_test.prototxt).
#include "nn/net_spec.hpp"

#include <map>
#include <sstream>

#include "common/error.hpp"
#include "nn/deep_models.hpp"

namespace xbarcut::nn {

namespace {

LayerSpec weight_layer(std::string kind, std::string name, int64_t out, int64_t kernel = 1,
                       int64_t pad = 0, std::string init = "xavier") {
  LayerSpec l;
  l.kind = std::move(kind);
  l.name = std::move(name);
  l.out = out;
  l.kernel = kernel;
  l.pad = pad;
  l.init = std::move(init);
  return l;
}

LayerSpec op(std::string kind, int64_t kernel = 1, int64_t stride = 1) {
  LayerSpec l;
  l.kind = std::move(kind);
  l.kernel = kernel;
  l.stride = stride;
  return l;
}

// Caffe LeNet: conv 20 5x5, max-pool 2, conv 50 5x5, max-pool 2, fc 500 ReLU, fc 10 (no ReLU after convs).
NetSpec lenet(const std::vector<int64_t>& input, int64_t classes) {
  NetSpec s;
  s.name = "lenet";
  s.input = input;
  s.classes = classes;
  s.layers = {weight_layer("conv", "conv1", 20, 5), op("maxpool", 2, 2),
              weight_layer("conv", "conv2", 50, 5), op("maxpool", 2, 2),
              op("flatten"),
              weight_layer("linear", "fc1", 500), op("relu"),
              weight_layer("linear", "fc2", classes)};
  return s;
}

// Caffe cifar10_full: three 5x5 pad-2 convs (32, 32, 64), 3x3 stride-2 pooling (max then average),
// LRN within channel after the first two blocks, one fc layer with a 250x weight decay.
NetSpec convnet(const std::vector<int64_t>& input, int64_t classes) {
  NetSpec s;
  s.name = "convnet";
  s.input = input;
  s.classes = classes;
  auto lrn = op("lrn");
  auto fc1 = weight_layer("linear", "fc1", classes, 1, 0, "gaussian:0.01");
  fc1.decay_mult_weight = 250.0;
  fc1.decay_mult_bias = 0.0;
  s.layers = {weight_layer("conv", "conv1", 32, 5, 2, "gaussian:0.0001"), op("maxpool", 3, 2), op("relu"), lrn,
              weight_layer("conv", "conv2", 32, 5, 2, "gaussian:0.01"), op("relu"), op("avgpool", 3, 2), lrn,
              weight_layer("conv", "conv3", 64, 5, 2, "gaussian:0.01"), op("relu"), op("avgpool", 3, 2),
              op("flatten"), fc1};
  return s;
}

// "mlp:784-300-100-10": ReLU between fully connected layers, named fc1, fc2, ...
NetSpec mlp(const std::string& model, const std::vector<int64_t>& input, int64_t classes) {
  std::vector<int64_t> widths;
  std::stringstream ss(model.substr(4));
  std::string item;
  while (std::getline(ss, item, '-')) {
    try {
      size_t used = 0;
      long long w = std::stoll(item, &used);
      if (used != item.size() || w <= 0) throw std::invalid_argument(item);
      widths.push_back(w);
    } catch (const std::exception&) {
      throw Error("bad model '" + model + "': widths must be positive integers, e.g. mlp:784-300-100-10");
    }
  }
  if (widths.size() < 2)
    throw Error("bad model '" + model + "': an mlp needs at least an input and an output width, e.g. mlp:784-10");
  const int64_t in_size = input[0] * input[1] * input[2];
  if (widths.front() != in_size)
    throw Error("model '" + model + "' starts with " + std::to_string(widths.front()) +
                " inputs but the dataset has " + std::to_string(in_size) + " values per image");
  if (widths.back() != classes)
    throw Error("model '" + model + "' ends with " + std::to_string(widths.back()) +
                " outputs but the dataset has " + std::to_string(classes) + " classes");
  NetSpec s;
  s.name = model;
  s.input = input;
  s.classes = classes;
  s.layers.push_back(op("flatten"));
  for (size_t i = 1; i < widths.size(); ++i) {
    s.layers.push_back(weight_layer("linear", "fc" + std::to_string(i), widths[i]));
    if (i + 1 < widths.size()) s.layers.push_back(op("relu"));
  }
  return s;
}

// PyTorch's pooling output size (Caffe's ceil mode when pad = 0 and kernel >= stride).
int64_t pooled(int64_t size, int64_t kernel, int64_t stride, int64_t pad, bool ceil_mode) {
  int64_t out = (size + 2 * pad - kernel + (ceil_mode ? stride - 1 : 0)) / stride + 1;
  if (ceil_mode && (out - 1) * stride >= size + pad) --out;
  return out;
}

bool is_activation(const std::string& kind) {
  return kind == "relu" || kind == "relu6" || kind == "hardswish" || kind == "sigmoid" || kind == "gelu" ||
         kind == "lrn" || kind == "dropout" || kind == "identity";
}

}  // namespace

bool NetSpec::is_conv_net() const {
  for (const auto& l : layers)
    if (l.kind == "conv") return true;
  return false;
}

LayerSpec& NetSpec::layer(const std::string& name) {
  for (auto& l : layers)
    if (l.is_weight_layer() && l.name == name) return l;
  std::string names;
  for (const auto& n : weight_layer_names()) names += (names.empty() ? "" : ", ") + n;
  throw Error("no layer '" + name + "' in model " + this->name + " (its layers: " + names + ")");
}

const LayerSpec& NetSpec::layer(const std::string& name) const {
  return const_cast<NetSpec*>(this)->layer(name);
}

std::vector<std::string> NetSpec::weight_layer_names() const {
  std::vector<std::string> names;
  for (const auto& l : layers)
    if (l.is_weight_layer()) names.push_back(l.name);
  return names;
}

bool NetSpec::has_residual() const {
  for (const auto& l : layers)
    if (l.is_residual_op()) return true;
  return false;
}

int NetSpec::batch_norm_after(int weight_index) const {
  const size_t next = static_cast<size_t>(weight_index) + 1;
  return next < layers.size() && layers[next].kind == "bn" ? static_cast<int>(next) : -1;
}

std::vector<std::vector<int>> input_indices(const NetSpec& spec) {
  std::map<std::string, int> index;
  std::vector<std::vector<int>> out(spec.layers.size());
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const auto& l = spec.layers[i];
    for (const auto& name : l.inputs) {
      if (name == "input") {
        out[i].push_back(-1);
        continue;
      }
      const auto it = index.find(name);
      if (it == index.end())
        throw Error("layer " + (l.name.empty() ? l.kind : l.name) + " reads '" + name + "', which is not a layer "
                    "before it in model " + spec.name);
      out[i].push_back(it->second);
    }
    if (l.name.empty()) continue;
    if (l.name == "input" || !index.emplace(l.name, static_cast<int>(i)).second)
      throw Error("layer name '" + l.name + "' is used twice in model " + spec.name);
  }
  return out;
}

namespace {

// The shape walk behind layer_shapes and layer_geometry: throws on impossible shapes.
std::vector<LayerShape> walk(const NetSpec& spec, std::vector<LayerGeometry>* geometry) {
  if (spec.input.size() != 3) throw Error("model input must be C,H,W");
  const LayerShape input{spec.input[0], spec.input[1], spec.input[2], false};
  const auto inputs = input_indices(spec);
  std::vector<LayerShape> shapes(spec.layers.size());
  LayerShape prev = input;
  struct Open { LayerShape in; bool has_main = false; LayerShape main{}; };
  std::vector<Open> blocks;  // open residual blocks
  auto same = [](const LayerShape& a, const LayerShape& b) { return a.c == b.c && a.h == b.h && a.w == b.w; };
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const auto& l = spec.layers[i];
    const std::string who = "layer " + (l.name.empty() ? l.kind : l.name) + " of model " + spec.name;
    std::vector<LayerShape> ins;
    for (int k : inputs[i]) ins.push_back(k < 0 ? input : shapes[static_cast<size_t>(k)]);
    LayerShape x = ins.empty() ? prev : ins.front();
    auto& [c, h, w, flat] = x;
    if (l.kind == "conv") {
      if (flat) throw Error("conv " + who + " cannot follow a flatten");
      if (l.groups < 1 || c % l.groups != 0 || l.out % l.groups != 0)
        throw Error(who + ": " + std::to_string(l.groups) + " groups must divide its " + std::to_string(c) +
                    " input and " + std::to_string(l.out) + " output channels");
      if (l.stride < 1 || l.dilation < 1 || l.kernel < 1)
        throw Error(who + ": kernel, stride and dilation must be at least 1");
      const int64_t span = l.dilation * (l.kernel - 1) + 1;
      const int64_t oh = (h + 2 * l.pad - span) / l.stride + 1;
      const int64_t ow = (w + 2 * l.pad - span) / l.stride + 1;
      if (oh <= 0 || ow <= 0)
        throw Error(who + ": a " + std::to_string(l.kernel) + "x" + std::to_string(l.kernel) +
                    " kernel does not fit its " + std::to_string(h) + "x" + std::to_string(w) + " input");
      if (geometry) geometry->push_back({l.name, l.kind, c, c * l.kernel * l.kernel, l.out, oh * ow, l.rank, l.groups});
      c = l.out, h = oh, w = ow;
    } else if (l.kind == "maxpool" || l.kind == "avgpool") {
      if (flat || l.stride < 1 || l.kernel < 1 || h + 2 * l.pad < l.kernel || w + 2 * l.pad < l.kernel)
        throw Error("pooling kernel larger than its input (or a stride below 1) at " + who);
      h = pooled(h, l.kernel, l.stride, l.pad, l.ceil_mode);
      w = pooled(w, l.kernel, l.stride, l.pad, l.ceil_mode);
    } else if (l.kind == "flatten") {
      c = c * h * w, h = w = 1, flat = true;
    } else if (l.kind == "linear") {
      const int64_t in = c * h * w;
      if (geometry) geometry->push_back({l.name, l.kind, in, in, l.out, 1, l.rank, 1});
      c = l.out, h = w = 1, flat = true;
    } else if (l.kind == "bn") {
      if (l.out != c) throw Error("bn " + who + " normalises " + std::to_string(l.out) + " channels, its input has " +
                                  std::to_string(c));
    } else if (l.kind == "gap") {
      if (flat) throw Error("global average pooling cannot follow a flatten at " + who);
      h = w = 1;
    } else if (l.kind == "add") {
      if (ins.size() < 2) throw Error(who + " adds the layers named in its inputs: give at least two");
      for (const auto& o : ins)
        if (!same(o, x)) throw Error(who + ": the shapes it adds differ");
    } else if (l.kind == "concat") {
      if (ins.size() < 2) throw Error(who + " concatenates the layers named in its inputs: give at least two");
      for (size_t k = 1; k < ins.size(); ++k) {
        if (ins[k].h != h || ins[k].w != w || ins[k].flat != flat) throw Error(who + ": the shapes it joins differ");
        c += ins[k].c;
      }
    } else if (l.kind == "res_begin") {
      if (flat) throw Error("a residual block cannot follow a flatten in model " + spec.name);
      blocks.push_back({x});
    } else if (l.kind == "res_shortcut") {
      if (blocks.empty() || blocks.back().has_main) throw Error("res_shortcut outside a block in model " + spec.name);
      blocks.back().has_main = true;
      blocks.back().main = x;
      x = blocks.back().in;
    } else if (l.kind == "res_add") {
      if (blocks.empty()) throw Error("res_add without res_begin in model " + spec.name);
      const LayerShape other = blocks.back().has_main ? blocks.back().main : blocks.back().in;
      blocks.pop_back();
      if (!same(other, x))
        throw Error("residual block shapes differ (" + std::to_string(other.c) + " vs " + std::to_string(c) +
                    " channels) in model " + spec.name);
    } else if (!is_activation(l.kind)) {
      throw Error("unknown layer kind '" + l.kind + "' in model " + spec.name);
    }
    shapes[i] = x;
    prev = x;
  }
  if (!blocks.empty()) throw Error("a residual block is never closed (res_add) in model " + spec.name);
  return shapes;
}

}  // namespace

std::vector<LayerShape> layer_shapes(const NetSpec& spec) { return walk(spec, nullptr); }

std::vector<LayerGeometry> layer_geometry(const NetSpec& spec) {
  std::vector<LayerGeometry> out;
  const auto shapes = walk(spec, &out);
  if (out.empty()) throw Error("model " + spec.name + " has no weight layer");
  const auto& last = shapes.back();
  if (last.c * last.h * last.w != spec.classes)
    throw Error("model " + spec.name + " ends with " + std::to_string(last.c * last.h * last.w) + " outputs, expected " +
                std::to_string(spec.classes));
  return out;
}

NetSpec make_net_spec(const std::string& model, const std::vector<int64_t>& input, int64_t classes) {
  if (input.size() != 3) throw Error("model input must be C,H,W");
  NetSpec s;
  if (model == "lenet")
    s = lenet(input, classes);
  else if (model == "convnet")
    s = convnet(input, classes);
  else if (model.rfind("mlp:", 0) == 0)
    s = mlp(model, input, classes);
  else if (is_deep_model(model))
    s = make_deep_model(model, input, classes);
  else
    throw Error("unknown model '" + model + "'; known models: " + known_models_help());
  layer_geometry(s);  // validate shapes now, before any work
  return s;
}

std::string known_models_help() {
  return "lenet (Caffe LeNet), convnet (Caffe cifar10_full), mlp:784-300-100-10 (any widths), " + deep_models_help();
}

nlohmann::json to_json(const NetSpec& spec) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : spec.layers) {
    nlohmann::json j{{"kind", l.kind}};
    if (!l.name.empty()) j["name"] = l.name;
    if (!l.inputs.empty()) j["inputs"] = l.inputs;
    if (l.is_weight_layer()) {
      j.update({{"name", l.name}, {"out", l.out}, {"kernel", l.kernel}, {"stride", l.stride}, {"pad", l.pad},
                {"rank", l.rank}, {"bias", l.bias}, {"masked", l.masked}, {"init", l.init}, {"lr_mult_bias", l.lr_mult_bias},
                {"decay_mult_weight", l.decay_mult_weight}, {"decay_mult_bias", l.decay_mult_bias}});
      if (l.dilation != 1) j["dilation"] = l.dilation;
      if (l.groups != 1) j["groups"] = l.groups;
    } else if (l.kind == "maxpool" || l.kind == "avgpool") {
      j.update({{"kernel", l.kernel}, {"stride", l.stride}});
      if (l.pad != 0) j["pad"] = l.pad;
      if (!l.ceil_mode) j["ceil_mode"] = false;
    } else if (l.kind == "lrn") {
      j.update({{"local_size", l.local_size}, {"alpha", l.alpha}, {"beta", l.beta}});
    } else if (l.kind == "bn") {
      j.update({{"name", l.name}, {"out", l.out}});
      if (l.eps != 1e-5) j["eps"] = l.eps;
    }
    layers.push_back(j);
  }
  return {{"name", spec.name}, {"input", spec.input}, {"classes", spec.classes}, {"layers", layers}};
}

NetSpec net_spec_from_json(const nlohmann::json& j) {
  try {
    NetSpec s;
    s.name = j.at("name").get<std::string>();
    s.input = j.at("input").get<std::vector<int64_t>>();
    s.classes = j.at("classes").get<int64_t>();
    for (const auto& lj : j.at("layers")) {
      LayerSpec l;
      l.kind = lj.at("kind").get<std::string>();
      l.name = lj.value("name", "");
      l.out = lj.value("out", int64_t{0});
      l.kernel = lj.value("kernel", int64_t{1});
      l.stride = lj.value("stride", int64_t{1});
      l.pad = lj.value("pad", int64_t{0});
      l.rank = lj.value("rank", int64_t{0});
      l.bias = lj.value("bias", true);
      l.masked = lj.value("masked", false);
      l.init = lj.value("init", std::string("xavier"));
      l.lr_mult_bias = lj.value("lr_mult_bias", 2.0);
      l.decay_mult_weight = lj.value("decay_mult_weight", 1.0);
      l.decay_mult_bias = lj.value("decay_mult_bias", 1.0);
      l.local_size = lj.value("local_size", int64_t{3});
      l.alpha = lj.value("alpha", 5e-5);
      l.beta = lj.value("beta", 0.75);
      l.dilation = lj.value("dilation", int64_t{1});
      l.groups = lj.value("groups", int64_t{1});
      l.ceil_mode = lj.value("ceil_mode", true);
      l.eps = lj.value("eps", 1e-5);
      l.inputs = lj.value("inputs", std::vector<std::string>{});
      s.layers.push_back(l);
    }
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("checkpoint holds a malformed model description: ") + e.what());
  }
}

}  // namespace xbarcut::nn
