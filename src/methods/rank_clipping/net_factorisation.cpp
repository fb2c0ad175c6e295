// Whole-network factorisation at full rank and direct low-rank approximation.
#include "methods/rank_clipping/net_factorisation.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "common/error.hpp"
#include "hw/rank_check.hpp"

namespace xbarcut::methods {

std::vector<std::string> clippable_layers(const nn::Net& net) {
  std::vector<std::string> out;
  for (const auto& layer : net->weight_layers())
    if (!net->is_classifier(layer->spec().name) && !layer->spec().grouped()) out.push_back(layer->spec().name);
  return out;
}

std::map<std::string, int64_t> layer_ranks(const nn::Net& net) {
  std::map<std::string, int64_t> out;
  for (const auto& name : clippable_layers(net)) out[name] = net->layer(name)->rank();
  return out;
}

void require_dense(const nn::Net& net) {
  for (const auto& name : clippable_layers(net)) {
    const auto layer = net->layer(name);
    if (layer->factorised())
      throw Error(fmt::format("layer {} is already factorised at rank {}; rank clipping starts from the dense "
                              "trained network at full rank (give the checkpoint written by xbarcut train)",
                              name, layer->rank()));
    if (layer->has_masks())
      throw Error("layer " + name + " carries deletion masks; rank clipping starts from a dense, unpruned network");
  }
}

std::vector<LayerApproximation> factorise_full_rank(nn::Net& net) {
  require_dense(net);
  std::vector<LayerApproximation> out;
  for (const auto& name : clippable_layers(net)) {
    auto layer = net->layer(name);
    const auto w = layer->dense_matrix();
    auto [u, s, vh] = torch::linalg::svd(w.to(torch::kFloat64), /*full_matrices=*/false, c10::nullopt);
    const auto uf = (u * s).to(torch::kFloat32);
    const auto vf = vh.to(torch::kFloat32);
    layer->set_matrices({uf, vf});
    out.push_back({name, w.size(0), w.size(1), layer->rank(), relative_error(w, uf, vf)});
  }
  if (net->channels_last()) net->use_channels_last();
  return out;
}

void check_requested_ranks(const nn::Net& net, const std::map<std::string, int64_t>& ranks) {
  const auto names = clippable_layers(net);
  for (const auto& name : names)
    if (net->layer(name)->has_masks())
      throw Error("layer " + name + " carries deletion masks; low-rank approximation needs an unpruned network");
  for (const auto& [name, rank] : ranks) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw Error("--ranks names layer '" + name + "', which cannot be factorised (layers: " + known +
                  "; the classifier stays dense)");
    }
    auto layer = net->layer(name);
    const auto w = layer->dense_matrix();
    hw::validate_rank(w.size(0), w.size(1), rank, "layer " + name);
    if (layer->factorised() && rank > layer->rank())
      throw Error(fmt::format("layer {} is already factorised at rank {}, lower than the rank {} asked; ask for "
                              "at most {} or start from the dense checkpoint",
                              name, layer->rank(), rank, layer->rank()));
  }
}

std::vector<LayerApproximation> direct_low_rank(nn::Net& net, double eps, LraMethod method,
                                                const std::map<std::string, int64_t>& ranks) {
  check_requested_ranks(net, ranks);
  const auto names = clippable_layers(net);
  std::vector<LayerApproximation> out;
  for (const auto& name : names) {
    auto it = ranks.find(name);
    if (!ranks.empty() && it == ranks.end()) continue;
    auto layer = net->layer(name);
    const auto w = layer->dense_matrix();
    const LowRank lr = it != ranks.end() ? approximate_at_rank(w, it->second, method) : approximate(w, eps, method);
    layer->set_matrices({lr.u, lr.vt});
    out.push_back({name, w.size(0), w.size(1), lr.rank, lr.error});
  }
  if (net->channels_last()) net->use_channels_last();
  return out;
}

}  // namespace xbarcut::methods
