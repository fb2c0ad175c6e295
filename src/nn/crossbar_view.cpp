// Unrolling layers into crossbar matrices (rows = C_in*k*k inputs, cols = outputs).
#include "nn/crossbar_view.hpp"

#include "hw/rank_check.hpp"
#include "nn/batch_norm_fold.hpp"

namespace xbarcut::nn {

hw::WeightMatrix to_weight_matrix(const std::string& name, const torch::Tensor& matrix, int64_t uses) {
  auto m = matrix.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  hw::WeightMatrix w;
  w.name = name;
  w.rows = m.size(0);
  w.cols = m.size(1);
  w.uses = uses;
  w.values.assign(m.data_ptr<float>(), m.data_ptr<float>() + m.numel());
  return w;
}

torch::Tensor block_diagonal(const torch::Tensor& compact, int64_t groups) {
  if (groups == 1) return compact;
  const int64_t rows = compact.size(0), cols = compact.size(1) / groups;
  auto full = torch::zeros({rows * groups, compact.size(1)}, compact.options());
  for (int64_t g = 0; g < groups; ++g)
    full.slice(0, g * rows, (g + 1) * rows).slice(1, g * cols, (g + 1) * cols) =
        compact.slice(1, g * cols, (g + 1) * cols);
  return full;
}

std::vector<hw::WeightMatrix> network_matrices(const Net& net) {
  const auto geometry = layer_geometry(net->spec());
  std::vector<hw::WeightMatrix> out;
  size_t g = 0;
  // The crossbars hold the weights with bn folded in (a bn scale of zero really deletes a column).
  const auto folded = folded_layers(net);
  for (const auto& layer : net->weight_layers()) {
    const auto& mats = folded[g].matrices;
    const auto names = layer->matrix_names();
    for (size_t i = 0; i < mats.size(); ++i)
      out.push_back(to_weight_matrix(names[i], block_diagonal(mats[i], geometry[g].groups), geometry[g].uses));
    ++g;
  }
  return out;
}

NetSpec with_ranks(NetSpec spec, const std::map<std::string, int64_t>& ranks) {
  const auto geometry = layer_geometry(spec);
  for (const auto& [name, rank] : ranks) {
    auto& layer = spec.layer(name);  // throws for an unknown layer, listing the known ones
    for (const auto& g : geometry)
      if (g.name == name) hw::validate_rank(g.rows, g.cols, rank, "layer " + name);
    layer.rank = rank;
  }
  return spec;
}

std::vector<hw::WeightMatrix> spec_matrices(const NetSpec& spec) {
  std::vector<hw::WeightMatrix> out;
  for (const auto& g : layer_geometry(spec)) {
    if (g.rank > 0) {
      out.push_back(hw::shape_only(g.name + "_u", g.rows, g.rank, g.uses));
      out.push_back(hw::shape_only(g.name + "_v", g.rank, g.cols, g.uses));
    } else {
      out.push_back(hw::shape_only(g.name, g.rows, g.cols, g.uses));
    }
  }
  return out;
}

std::vector<hw::WeightMatrix> original_matrices(const NetSpec& spec) {
  NetSpec dense = spec;
  for (auto& l : dense.layers) {
    l.rank = 0;
    l.masked = false;
  }
  return spec_matrices(dense);
}

}  // namespace xbarcut::nn
