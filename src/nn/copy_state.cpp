#include "nn/copy_state.hpp"

#include <fmt/core.h>

#include "common/error.hpp"

namespace xbarcut::nn {

namespace {

// Every tensor of `from` into the same-named one of `to`. `to` may hold more buffers than `from`: a cleared
// mask stays registered (LibTorch cannot unregister a buffer) and is never applied.
void copy_named(const torch::OrderedDict<std::string, torch::Tensor>& from,
                torch::OrderedDict<std::string, torch::Tensor> to) {
  for (const auto& item : from) {
    auto* dst = to.find(item.key());
    if (!dst || dst->sizes() != item.value().sizes())
      throw Error(fmt::format("the saved network's {} does not fit this one: not the same network", item.key()));
    dst->copy_(item.value());
  }
}

}  // namespace

void copy_state(const Net& from, Net& to) {
  const auto& src = from->weight_layers();
  auto& dst = to->weight_layers();
  if (src.size() != dst.size()) throw Error("the saved network has other layers than this one");
  torch::NoGradGuard guard;
  for (size_t i = 0; i < src.size(); ++i) {
    if (src[i]->spec().name != dst[i]->spec().name || src[i]->rank() != dst[i]->rank())
      throw Error(fmt::format("the saved network's layer {} (rank {}) is not this one's {} (rank {})",
                              src[i]->spec().name, src[i]->rank(), dst[i]->spec().name, dst[i]->rank()));
    // Masks first: setting them registers the buffers the copy below fills.
    if (src[i]->has_masks())
      dst[i]->set_matrix_masks(src[i]->matrix_masks());
    else
      dst[i]->clear_masks();
  }
  if (from->named_parameters(true).size() != to->named_parameters(true).size())
    throw Error("the saved network has other parameters than this one");
  copy_named(from->named_parameters(true), to->named_parameters(true));
  copy_named(from->named_buffers(true), to->named_buffers(true));
}

Net clone(const Net& from) {
  Net copy(from->spec());
  copy_state(from, copy);
  return copy;
}

}  // namespace xbarcut::nn
