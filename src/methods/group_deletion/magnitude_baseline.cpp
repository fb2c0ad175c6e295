// One-shot magnitude pruning matched to a sparsity per matrix.
#include "methods/group_deletion/magnitude_baseline.hpp"

#include "common/error.hpp"

namespace xbarcut::methods {

namespace {

// Calls f(weight tensor in module layout) for the matrix called `name`; false if there is none.
template <typename F>
bool with_matrix(const nn::Net& net, const std::string& name, F f) {
  for (const auto& layer : net->weight_layers()) {
    const auto names = layer->matrix_names();
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) {
        f(layer->weights()[i]);
        return true;
      }
  }
  return false;
}

}  // namespace

std::map<std::string, int64_t> zero_counts(const nn::Net& net, const std::vector<std::string>& matrices) {
  std::map<std::string, int64_t> out;
  for (const auto& name : matrices)
    if (!with_matrix(net, name, [&](const torch::Tensor& w) { out[name] = w.eq(0).sum().item<int64_t>(); }))
      throw Error("no crossbar matrix named '" + name + "' in the network");
  return out;
}

void magnitude_prune(nn::Net& net, const std::map<std::string, int64_t>& counts) {
  torch::NoGradGuard guard;
  for (const auto& [name, count] : counts) {
    const bool found = with_matrix(net, name, [&, count = count](torch::Tensor w) {
      if (count < 0 || count > w.numel())
        throw Error("cannot prune " + std::to_string(count) + " weights of matrix " + name + " (it has " +
                    std::to_string(w.numel()) + ")");
      // Sparsity does not depend on the layout, so prune the module tensor directly.
      auto flat = w.detach().reshape({-1}).abs();
      auto order = std::get<1>(flat.sort(/*stable=*/true, /*dim=*/0, /*descending=*/false));
      auto keep = torch::ones_like(flat);
      keep.index_fill_(0, order.slice(0, 0, count), 0.0);
      w.mul_(keep.reshape(w.sizes()));
    });
    if (!found) throw Error("no crossbar matrix named '" + name + "' in the network");
  }
}

}  // namespace xbarcut::methods
