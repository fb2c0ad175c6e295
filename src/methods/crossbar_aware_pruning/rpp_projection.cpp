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
        units.push_back(std::move(u));
      }
    }
  }
  return units;
}

RppStep rpp_step(int64_t k, int64_t total, int64_t units, int64_t s, double p_start) {
  const double f = total > 0 ? std::clamp(static_cast<double>(k) / static_cast<double>(total), 0.0, 1.0) : 1.0;
  RppStep step;
  step.keep = static_cast<int64_t>(std::llround(static_cast<double>(units) - static_cast<double>(units - s) * f));
  step.keep = std::clamp<int64_t>(step.keep, s, units);
  step.p = k >= total ? 1.0 : p_start + (1.0 - p_start) * f;
  return step;
}

torch::Tensor project_units(const std::vector<Unit>& units, int64_t row_blocks, int64_t cols, int64_t keep, double p,
                            std::mt19937_64& rng) {
  std::vector<size_t> rank(units.size());
  std::iota(rank.begin(), rank.end(), size_t{0});
  std::stable_sort(rank.begin(), rank.end(), [&](size_t a, size_t b) { return units[a].norm_sq > units[b].norm_sq; });
  auto mask = torch::ones({row_blocks, cols});
  auto acc = mask.accessor<float, 2>();
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (size_t r = static_cast<size_t>(std::max<int64_t>(keep, 0)); r < rank.size(); ++r) {
    if (uniform(rng) >= p) continue;  // relaxed: this one survives the projection
    const Unit& u = units[rank[r]];
    for (int64_t c : u.columns) acc[u.row_block][c] = 0.0f;
  }
  return mask;
}

}  // namespace xbarcut::methods::xbprune
