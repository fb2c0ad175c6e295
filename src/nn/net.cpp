// Network assembly and forward pass from a NetSpec.
#include "nn/net.hpp"

#include <algorithm>
#include <set>

#include "common/error.hpp"
#include "nn/lrn_within_channel.hpp"

namespace xbarcut::nn {

namespace F = torch::nn::functional;

namespace {
// LibTorch module names cannot hold dots; imported layers are named as PyTorch names them (layer1.0.conv1).
std::string module_name(const std::string& layer, std::set<std::string>& used) {
  std::string name = layer;
  std::replace(name.begin(), name.end(), '.', '_');
  if (!used.insert(name).second) throw Error("two layers of the model are both named '" + name + "' once dots become _");
  return name;
}
}  // namespace

NetImpl::NetImpl(NetSpec spec) : spec_(std::move(spec)) {
  auto geometry = layer_geometry(spec_);
  inputs_ = input_indices(spec_);
  kept_.assign(spec_.layers.size(), false);
  for (const auto& ins : inputs_)
    for (int k : ins)
      if (k >= 0) kept_[static_cast<size_t>(k)] = true;
  size_t g = 0;
  std::set<std::string> used;
  for (const auto& l : spec_.layers) {
    if (l.is_weight_layer()) {
      const auto& geo = geometry[g++];
      layer_slot_.push_back(static_cast<int>(weight_layers_.size()));
      weight_layers_.push_back(register_module(module_name(l.name, used), WeightLayer(l, geo.in_channels)));
    } else if (l.kind == "bn") {
      layer_slot_.push_back(static_cast<int>(batch_norms_.size()));
      batch_norms_.emplace_back(l.name, register_module(module_name(l.name, used),
                                                        torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(l.out).eps(l.eps))));
    } else {
      layer_slot_.push_back(-1);
    }
  }
}

torch::Tensor NetImpl::forward(torch::Tensor x) {
  if (channels_last_ && x.dim() == 4) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  const torch::Tensor input = x;
  std::vector<torch::Tensor> kept;  // outputs a later layer reads by name; sized at the first (never, for a chain)
  std::vector<std::pair<torch::Tensor, torch::Tensor>> blocks;  // (block input, main path result)
  for (size_t i = 0; i < spec_.layers.size(); ++i) {
    const auto& l = spec_.layers[i];
    std::vector<torch::Tensor> ins;
    for (int k : inputs_[i]) ins.push_back(k < 0 ? input : kept[static_cast<size_t>(k)]);
    if (!ins.empty()) x = ins.front();
    if (l.kind == "bn") {
      auto bn = batch_norms_[layer_slot_[i]].second;
      // A bn after a flatten (BatchNorm1d in PyTorch) normalises features: the same computation on a 2-D input.
      x = x.dim() == 4 ? bn->forward(x)
                       : torch::batch_norm(x, bn->weight, bn->bias, bn->running_mean, bn->running_var, is_training(),
                                           bn->options.momentum().value_or(0.1), bn->options.eps(), false);
    } else if (layer_slot_[i] >= 0) {
      x = weight_layers_[layer_slot_[i]]->forward(x);
    } else if (l.kind == "res_begin") {
      blocks.emplace_back(x, torch::Tensor());
    } else if (l.kind == "res_shortcut") {
      blocks.back().second = x;
      x = blocks.back().first;
    } else if (l.kind == "res_add") {
      auto [in, main_path] = blocks.back();
      blocks.pop_back();
      x = main_path.defined() ? main_path + x : x + in;
    } else if (l.kind == "add") {
      for (size_t k = 1; k < ins.size(); ++k) x = x + ins[k];
    } else if (l.kind == "concat") {
      x = torch::cat(ins, 1);
    } else if (l.kind == "gap") {
      x = x.mean({2, 3}, true);
    } else if (l.kind == "relu") {
      x = torch::relu(x);
    } else if (l.kind == "relu6") {
      x = torch::hardtanh(x, 0.0, 6.0);
    } else if (l.kind == "hardswish") {
      x = torch::hardswish(x);
    } else if (l.kind == "sigmoid") {
      x = torch::sigmoid(x);
    } else if (l.kind == "gelu") {
      x = torch::gelu(x);
    } else if (l.kind == "maxpool") {
      x = F::max_pool2d(x, F::MaxPool2dFuncOptions(l.kernel).stride(l.stride).padding(l.pad).ceil_mode(l.ceil_mode));
    } else if (l.kind == "avgpool") {
      x = F::avg_pool2d(x, F::AvgPool2dFuncOptions(l.kernel).stride(l.stride).padding(l.pad).ceil_mode(l.ceil_mode));
    } else if (l.kind == "lrn") {
      x = lrn_within_channel(x, l.local_size, l.alpha, l.beta);
    } else if (l.kind == "flatten") {
      x = x.flatten(1);
    }  // dropout, identity: the identity at inference (xbarcut trains without dropout)
    if (kept_[i]) {
      kept.resize(spec_.layers.size());
      kept[i] = x;
    }
  }
  return x;
}

NetSpec NetImpl::spec() const {
  NetSpec s = spec_;
  for (size_t i = 0; i < s.layers.size(); ++i)
    if (layer_slot_[i] >= 0 && s.layers[i].is_weight_layer()) s.layers[i] = weight_layers_[layer_slot_[i]]->spec();
  return s;
}

WeightLayer NetImpl::layer(const std::string& name) const {
  for (const auto& l : weight_layers_)
    if (l->spec().name == name) return l;
  spec_.layer(name);  // throws the helpful error listing the layers
  throw Error("no layer " + name);
}

torch::nn::BatchNorm2d NetImpl::batch_norm_of(size_t weight_index) const {
  size_t seen = 0;
  for (size_t i = 0; i < spec_.layers.size(); ++i) {
    if (!spec_.layers[i].is_weight_layer()) continue;
    if (seen++ != weight_index) continue;
    const int b = spec_.batch_norm_after(static_cast<int>(i));
    return b >= 0 ? batch_norms_[layer_slot_[b]].second : torch::nn::BatchNorm2d(nullptr);
  }
  return torch::nn::BatchNorm2d(nullptr);
}

bool NetImpl::is_classifier(const std::string& name) const {
  return !weight_layers_.empty() && weight_layers_.back()->spec().name == name;
}

std::vector<std::string> NetImpl::grouped_layers() const {
  std::vector<std::string> out;
  for (const auto& l : weight_layers_)
    if (l->spec().grouped()) out.push_back(l->spec().name);
  return out;
}

void NetImpl::use_channels_last() {
  torch::NoGradGuard guard;
  channels_last_ = true;
  for (auto& p : parameters())
    if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
}

void NetImpl::apply_masks() {
  for (auto& l : weight_layers_) l->apply_masks();
}

}  // namespace xbarcut::nn
