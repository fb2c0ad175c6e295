// Dense and factorised conv / linear layers. A conv factorises into K filters of k x k x C_in (no bias)
// followed by a 1x1 conv of M filters (bias); a linear into N->K (no bias) then K->M (bias).
#include "nn/weight_layer.hpp"

#include <cmath>

#include "common/error.hpp"

namespace xbarcut::nn {

void init_weight(torch::Tensor& w, const std::string& init) {
  torch::NoGradGuard guard;
  const int64_t fan_in = w.numel() / w.size(0);
  if (init == "xavier") {
    // Caffe's xavier filler: uniform with variance 1 / fan_in.
    const double a = std::sqrt(3.0 / static_cast<double>(fan_in));
    w.uniform_(-a, a);
  } else if (init == "kaiming") {
    w.normal_(0.0, std::sqrt(2.0 / static_cast<double>(fan_in)));
  } else if (init.rfind("gaussian:", 0) == 0) {
    w.normal_(0.0, std::stod(init.substr(9)));
  } else {
    throw Error("unknown weight initialisation '" + init + "' (use xavier, kaiming or gaussian:<std>)");
  }
}

WeightLayerImpl::WeightLayerImpl(const LayerSpec& spec, int64_t in_channels)
    : spec_(spec), in_channels_(in_channels) {
  build();
}

void WeightLayerImpl::build() {
  const bool conv = spec_.kind == "conv";
  const int64_t k = spec_.kernel;
  const int64_t first_out = factorised() ? spec_.rank : spec_.out;
  // A grouped conv's filters each see in_channels / groups inputs (rank clipping leaves grouped layers dense).
  w_ = conv ? torch::empty({first_out, in_channels_ / spec_.groups, k, k}) : torch::empty({first_out, in_channels_});
  init_weight(w_, spec_.init);
  w_ = register_parameter("weight", w_);
  if (factorised()) {
    v_ = conv ? torch::empty({spec_.out, spec_.rank, 1, 1}) : torch::empty({spec_.out, spec_.rank});
    init_weight(v_, spec_.init);
    v_ = register_parameter("weight_v", v_);
  }
  if (spec_.bias) bias_ = register_parameter("bias", torch::zeros({spec_.out}));
  if (spec_.masked) {
    for (const auto& w : weights())
      masks_.push_back(register_buffer("mask" + std::to_string(masks_.size()), torch::ones_like(w)));
  }
}

torch::Tensor WeightLayerImpl::forward(const torch::Tensor& x) {
  if (spec_.kind == "conv") {
    auto opts = torch::nn::functional::Conv2dFuncOptions().stride(spec_.stride).padding(spec_.pad);
    if (spec_.dilation != 1) opts.dilation(spec_.dilation);
    if (spec_.groups != 1) opts.groups(spec_.groups);
    if (!factorised()) return torch::nn::functional::conv2d(x, w_, opts.bias(bias_));
    auto h = torch::nn::functional::conv2d(x, w_, opts);
    return torch::nn::functional::conv2d(h, v_, torch::nn::functional::Conv2dFuncOptions().bias(bias_));
  }
  if (!factorised()) return torch::nn::functional::linear(x, w_, bias_);
  return torch::nn::functional::linear(torch::nn::functional::linear(x, w_), v_, bias_);
}

torch::Tensor WeightLayerImpl::to_matrix(const torch::Tensor& w) const {
  // Module layout [out, in(, k, k)] -> crossbar layout [in*k*k, out]: one filter per column.
  return w.detach().reshape({w.size(0), -1}).t().contiguous();
}

torch::Tensor WeightLayerImpl::from_matrix(const torch::Tensor& m, const torch::Tensor& like) const {
  return m.t().contiguous().reshape(like.sizes());
}

std::vector<torch::Tensor> WeightLayerImpl::weights() const {
  if (factorised()) return {w_, v_};
  return {w_};
}

std::vector<torch::Tensor> WeightLayerImpl::matrices() const {
  std::vector<torch::Tensor> out;
  for (const auto& w : weights()) out.push_back(to_matrix(w));
  return out;
}

std::vector<std::string> WeightLayerImpl::matrix_names() const {
  if (factorised()) return {spec_.name + "_u", spec_.name + "_v"};
  return {spec_.name};
}

torch::Tensor WeightLayerImpl::dense_matrix() const {
  auto m = matrices();
  return factorised() ? torch::mm(m[0], m[1]) : m[0];
}

void WeightLayerImpl::set_matrices(const std::vector<torch::Tensor>& mats) {
  torch::NoGradGuard guard;
  if (spec_.grouped()) throw Error("layer " + spec_.name + " is a grouped conv: its matrices cannot be replaced");
  const int64_t n = in_channels_ * (spec_.kind == "conv" ? spec_.kernel * spec_.kernel : 1);
  const bool conv = spec_.kind == "conv";
  const int64_t k = spec_.kernel;
  if (mats.size() == 1) {
    if (mats[0].size(0) != n || mats[0].size(1) != spec_.out)
      throw Error("layer " + spec_.name + ": matrix shape does not match the layer");
    if (factorised()) {
      spec_.rank = 0;
      v_ = torch::Tensor();
      if (parameters_.contains("weight_v")) parameters_.erase("weight_v");
    }
    auto w = mats[0].t().contiguous();
    w = conv ? w.reshape({spec_.out, in_channels_, k, k}) : w;
    replace_parameter("weight", w_, w.to(w_.dtype()));
  } else if (mats.size() == 2) {
    const int64_t rank = mats[0].size(1);
    if (mats[0].size(0) != n || mats[1].size(0) != rank || mats[1].size(1) != spec_.out)
      throw Error("layer " + spec_.name + ": factor shapes do not match the layer");
    auto u = mats[0].t().contiguous();
    u = conv ? u.reshape({rank, in_channels_, k, k}) : u;
    auto v = mats[1].t().contiguous();
    v = conv ? v.reshape({spec_.out, rank, 1, 1}) : v;
    replace_parameter("weight", w_, u.to(w_.dtype()));
    if (!factorised()) {
      spec_.rank = rank;
      v_ = register_parameter("weight_v", v.to(w_.dtype()));
    } else {
      spec_.rank = rank;
      replace_parameter("weight_v", v_, v.to(w_.dtype()));
    }
  } else {
    throw Error("layer " + spec_.name + ": expected one or two matrices");
  }
  clear_masks();
}

void WeightLayerImpl::replace_parameter(const std::string& name, torch::Tensor& param, const torch::Tensor& value) {
  if (param.sizes() == value.sizes()) {
    param.set_data(value);
    return;
  }
  // A new shape (a clipped rank) gets a new tensor: set_data would keep the old autograd accumulator, whose
  // shape check rejects the next gradient while a graph built before the change is still alive.
  param = value.detach().clone().set_requires_grad(true);
  parameters_[name] = param;
}

std::vector<torch::Tensor> WeightLayerImpl::matrix_masks() const {
  std::vector<torch::Tensor> out;
  for (const auto& m : masks_) out.push_back(to_matrix(m));
  return out;
}

void WeightLayerImpl::clear_masks() {
  // LibTorch cannot unregister a buffer: a cleared mask stays registered (saved, never applied).
  masks_.clear();
  spec_.masked = false;
}

void WeightLayerImpl::set_matrix_masks(const std::vector<torch::Tensor>& masks) {
  auto ws = weights();
  if (masks.size() != ws.size()) throw Error("layer " + spec_.name + ": one mask per weight matrix expected");
  masks_.clear();
  spec_.masked = true;
  auto registered = named_buffers(false);
  for (size_t i = 0; i < masks.size(); ++i) {
    const std::string key = "mask" + std::to_string(i);
    auto m = from_matrix(masks[i].to(torch::kFloat32), ws[i]);
    if (auto* existing = registered.find(key)) {
      existing->set_data(m);
      masks_.push_back(*existing);
    } else {
      masks_.push_back(register_buffer(key, m));
    }
  }
  apply_masks();
}

void WeightLayerImpl::apply_masks() {
  if (masks_.empty()) return;
  torch::NoGradGuard guard;
  auto ws = weights();
  for (size_t i = 0; i < ws.size(); ++i) ws[i].mul_(masks_[i]);
}

}  // namespace xbarcut::nn
