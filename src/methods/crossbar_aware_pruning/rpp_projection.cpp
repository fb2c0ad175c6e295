// RPP: ranking units by L2 norm and zeroing the tail with a growing probability.
#include "methods/crossbar_aware_pruning/rpp_projection.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace xbarcut::methods::xbprune {

std::vector<Unit> make_units(const torch::Tensor& col_norm_sq, const hw::Tiling& tiling, Grain grain) {
  auto norms = col_norm_sq.to(torch::kFloat64).contiguous();
  const int64_t m = norms.size(1);
  const double* data = norms.data_ptr<double>();
  std::vector<Unit> units;
  for (size_t rb = 0; rb < tiling.row_blocks.size(); ++rb) {
    const double* row = data + static_cast<int64_t>(rb) * m;
    if (grain == Grain::Crossbar) {
      for (const auto& cb : tiling.col_blocks) {
        Unit u;
        u.row_block = static_cast<int64_t>(rb);
        for (int64_t c = cb.begin; c < cb.end; ++c) {
          u.columns.push_back(c);
          u.norm_sq += row[c];
        }
        u.score = u.norm_sq;
        units.push_back(std::move(u));
      }
    } else {
      std::vector<int64_t> order(static_cast<size_t>(m));
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return row[a] > row[b]; });
      const auto q = static_cast<size_t>(tiling.xbar_cols);
      for (size_t start = 0; start < order.size(); start += q) {
        Unit u;
        u.row_block = static_cast<int64_t>(rb);
        u.columns.assign(order.begin() + static_cast<long>(start),
                         order.begin() + static_cast<long>(std::min(order.size(), start + q)));
        std::sort(u.columns.begin(), u.columns.end());
        for (int64_t c : u.columns) u.norm_sq += row[c];
        u.score = u.norm_sq;
        units.push_back(std::move(u));
      }
    }
  }
  return units;
}

RppStep rpp_step(int64_t k, int64_t total, int64_t units, int64_t s, double p_start, double ramp) {
  const int64_t ramp_steps =
      std::clamp<int64_t>(static_cast<int64_t>(std::llround(ramp * static_cast<double>(total))), 1, std::max<int64_t>(total, 1));
  const double f = total > 0 ? std::clamp(static_cast<double>(k) / static_cast<double>(ramp_steps), 0.0, 1.0) : 1.0;
  RppStep step;
  step.keep = static_cast<int64_t>(std::llround(static_cast<double>(units) - static_cast<double>(units - s) * f));
  step.keep = std::clamp<int64_t>(step.keep, s, units);
  step.p = k >= total || f >= 1.0 ? 1.0 : p_start + (1.0 - p_start) * f;
  return step;
}

void set_layer_normalised_scores(std::vector<Unit>& units) {
  std::vector<size_t> order(units.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return units[a].norm_sq > units[b].norm_sq; });
  double larger = 0;  // sum over the units ranked at or above this one
  for (size_t i : order) {
    larger += units[i].norm_sq;
    units[i].score = larger > 0 ? units[i].norm_sq / larger : 0.0;
  }
}

std::vector<std::vector<bool>> choose_zeroed(const std::vector<std::vector<Unit>>& layers, int64_t keep, double p,
                                             std::mt19937_64& rng) {
  std::vector<std::pair<size_t, size_t>> rank;  // (layer, unit)
  std::vector<std::vector<bool>> zeroed;
  for (size_t l = 0; l < layers.size(); ++l) {
    zeroed.emplace_back(layers[l].size(), false);
    for (size_t u = 0; u < layers[l].size(); ++u) rank.emplace_back(l, u);
  }
  std::stable_sort(rank.begin(), rank.end(), [&](const auto& a, const auto& b) {
    return layers[a.first][a.second].score > layers[b.first][b.second].score;
  });
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (size_t r = static_cast<size_t>(std::max<int64_t>(keep, 0)); r < rank.size(); ++r)
    if (uniform(rng) < p) zeroed[rank[r].first][rank[r].second] = true;  // relaxed: the others survive this one
  return zeroed;
}

torch::Tensor keep_mask(const std::vector<Unit>& units, const std::vector<bool>& zeroed, int64_t row_blocks,
                        int64_t cols) {
  auto mask = torch::ones({row_blocks, cols});
  auto acc = mask.accessor<float, 2>();
  for (size_t i = 0; i < units.size(); ++i)
    if (zeroed[i])
      for (int64_t c : units[i].columns) acc[units[i].row_block][c] = 0.0f;
  return mask;
}

torch::Tensor project_units(const std::vector<Unit>& units, int64_t row_blocks, int64_t cols, int64_t keep, double p,
                            std::mt19937_64& rng) {
  return keep_mask(units, choose_zeroed({units}, keep, p, rng)[0], row_blocks, cols);
}

}  // namespace xbarcut::methods::xbprune
