// Crossbar row/column groups: norms and the eq. 6 gradient against a tile-by-tile reference built from the
// tiling's blocks with autograd, padded edge tiles, all-zero groups, and agreement with hw::scan_usage.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "hw/tile_usage.hpp"
#include "methods/group_deletion/crossbar_groups.hpp"
#include "nn/crossbar_view.hpp"

using namespace xbarcut;

namespace {

// Eq. 4's bracket written out tile by tile, row by row, column by column.
torch::Tensor reference_penalty(const torch::Tensor& m, const hw::Tiling& t) {
  auto sum = torch::zeros({}, m.options());
  for (const auto& rb : t.row_blocks)
    for (const auto& cb : t.col_blocks) {
      auto tile = m.slice(0, rb.begin, rb.end).slice(1, cb.begin, cb.end);
      sum = sum + tile.square().sum(1).sqrt().sum() + tile.square().sum(0).sqrt().sum();
    }
  return sum;
}

torch::Tensor reference_gradient(const torch::Tensor& m, const hw::Tiling& t, double lambda) {
  auto x = m.to(torch::kFloat64).detach().requires_grad_(true);
  (reference_penalty(x, t) * lambda).backward();
  return x.grad().to(torch::kFloat32);
}

}  // namespace

TEST(CrossbarGroups, NormsOfAHandMadeMatrix) {
  // 4 x 4 on 2 x 2 crossbars: four tiles. Row 0 = [3, 4, 0, 1]: row groups |(3,4)| = 5 and |(0,1)| = 1.
  auto m = torch::tensor({3.f, 4.f, 0.f, 1.f, 0.f, 0.f, 2.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f})
               .reshape({4, 4});
  methods::CrossbarGroups g(hw::tile_matrix(4, 4, hw::CrossbarShape{2, 2}));
  EXPECT_EQ(g.groups(), 4 * 2 + 4 * 2);
  auto rows = g.row_group_norms(m);
  ASSERT_EQ(rows.sizes(), (std::vector<int64_t>{4, 2}));
  EXPECT_FLOAT_EQ(rows[0][0].item<float>(), 5.f);
  EXPECT_FLOAT_EQ(rows[0][1].item<float>(), 1.f);
  EXPECT_FLOAT_EQ(rows[1][1].item<float>(), 2.f);
  auto cols = g.col_group_norms(m);
  ASSERT_EQ(cols.sizes(), (std::vector<int64_t>{2, 4}));
  EXPECT_FLOAT_EQ(cols[0][0].item<float>(), 3.f);
  EXPECT_FLOAT_EQ(cols[0][2].item<float>(), 2.f);
  EXPECT_FLOAT_EQ(cols[1][0].item<float>(), 0.f);
  EXPECT_NEAR(g.penalty(m), (5 + 1 + 2) + (3 + 4 + 2 + 1), 1e-5);
}

TEST(CrossbarGroups, GradientMatchesTheTileByTileReference) {
  torch::manual_seed(1);
  auto m = torch::randn({12, 8});
  const auto t = hw::tile_matrix(12, 8, hw::CrossbarShape{4, 4});
  methods::CrossbarGroups g(t);
  EXPECT_TRUE(torch::allclose(g.gradient(m, 0.3, 1e-8), reference_gradient(m, t, 0.3), 1e-5, 1e-6));
  EXPECT_NEAR(g.penalty(m), reference_penalty(m.to(torch::kFloat64), t).item<double>(), 1e-4);
}

TEST(CrossbarGroups, PaddedEdgeTilesFormShorterGroups) {
  torch::manual_seed(2);
  auto m = torch::randn({7, 5});
  // Fixed policy: 3 x 2 crossbars, the last row block holds one row and the last column block one column.
  const auto t = hw::tile_matrix(7, 5, hw::CrossbarShape{3, 2}, hw::TilingPolicy::Fixed);
  ASSERT_EQ(t.row_blocks.size(), 3u);
  ASSERT_EQ(t.col_blocks.size(), 3u);
  methods::CrossbarGroups g(t);
  EXPECT_EQ(g.groups(), 7 * 3 + 5 * 3);
  EXPECT_TRUE(torch::allclose(g.gradient(m, 1.0, 1e-8), reference_gradient(m, t, 1.0), 1e-5, 1e-6));
  // The single-row block: a column group of one weight has norm |w|.
  EXPECT_FLOAT_EQ(g.col_group_norms(m)[2][4].item<float>(), std::abs(m[6][4].item<float>()));
}

TEST(CrossbarGroups, AllZeroGroupsGiveZeroGradientNotNaN) {
  auto m = torch::zeros({8, 8});
  m[0][0] = 1.0;
  methods::CrossbarGroups g(hw::tile_matrix(8, 8, hw::CrossbarShape{4, 4}));
  auto grad = g.gradient(m, 0.5, 1e-8);
  EXPECT_TRUE(torch::isfinite(grad).all().item<bool>());
  EXPECT_FLOAT_EQ(grad[0][0].item<float>(), 1.0f);  // 0.5 * (1/1 + 1/1)
  EXPECT_EQ(grad.ne(0).sum().item<int64_t>(), 1);
}

TEST(CrossbarGroups, LiveMaskAndLiveWiresAgreeWithTheCrossbarModel) {
  torch::manual_seed(3);
  auto m = torch::randn({16, 12});
  m.slice(0, 2, 3).slice(1, 0, 6).zero_();   // one dead row group (row 2 in column block 0)
  m.slice(0, 8, 16).slice(1, 7, 8).zero_();  // one dead column group (column 7 in row block 1)
  m[5][9] = 0;                               // a lone zero inside live groups
  const auto t = hw::tile_matrix(16, 12, hw::CrossbarShape{8, 6});
  methods::CrossbarGroups g(t);
  auto mask = g.live_mask(m);
  EXPECT_EQ(mask.slice(0, 2, 3).slice(1, 0, 6).sum().item<float>(), 0.f);
  EXPECT_EQ(mask.slice(0, 8, 16).slice(1, 7, 8).sum().item<float>(), 0.f);
  EXPECT_EQ(mask[5][9].item<float>(), 1.f);
  EXPECT_EQ(mask.numel() - mask.sum().item<int64_t>(), 6 + 8 - 0);
  const auto usage = hw::scan_usage(nn::to_weight_matrix("m", m), t);
  EXPECT_EQ(usage.live_rows, g.row_group_norms(m).gt(0).sum().item<int64_t>());
  EXPECT_EQ(usage.live_cols, g.col_group_norms(m).gt(0).sum().item<int64_t>());
  EXPECT_EQ(usage.wires, g.groups());
  EXPECT_EQ(usage.live_wires, g.groups() - 2);
}

TEST(CrossbarGroups, ShrinkMatchesTheTileByTileSoftThreshold) {
  torch::manual_seed(5);
  auto m = torch::randn({12, 8}) * 0.5;
  m.slice(0, 3, 4).slice(1, 0, 4).mul_(0.01);  // a row group far below the threshold
  const auto t = hw::tile_matrix(12, 8, hw::CrossbarShape{4, 4});
  methods::CrossbarGroups g(t);
  const double thr = 0.3;
  // Reference: scale every row group of every tile by max(0, 1 - thr / norm), then every column group.
  auto expected = m.clone();
  for (const auto& rb : t.row_blocks)
    for (const auto& cb : t.col_blocks) {
      auto tile = expected.slice(0, rb.begin, rb.end).slice(1, cb.begin, cb.end);
      for (int64_t r = 0; r < tile.size(0); ++r) {
        auto row = tile[r];
        row.mul_(std::max(0.0, 1.0 - thr / row.norm().item<double>()));
      }
    }
  for (const auto& rb : t.row_blocks)
    for (const auto& cb : t.col_blocks) {
      auto tile = expected.slice(0, rb.begin, rb.end).slice(1, cb.begin, cb.end);
      for (int64_t c = 0; c < tile.size(1); ++c) {
        auto col = tile.select(1, c);
        const double n = col.norm().item<double>();
        col.mul_(n > 0 ? std::max(0.0, 1.0 - thr / n) : 0.0);
      }
    }
  auto shrunk = g.shrink(m, thr);
  EXPECT_TRUE(torch::allclose(shrunk, expected, 1e-5, 1e-6));
  EXPECT_EQ(shrunk.slice(0, 3, 4).slice(1, 0, 4).abs().sum().item<float>(), 0.f);  // exactly zero, not tiny
  EXPECT_TRUE(torch::equal(g.shrink(m, 0.0), m));                                 // t = 0 changes nothing
  EXPECT_EQ(g.shrink(torch::zeros({12, 8}), thr).abs().sum().item<float>(), 0.f);  // zero groups stay zero, no NaN
}

TEST(CrossbarGroups, RejectsAMatrixOfAnotherShape) {
  methods::CrossbarGroups g(hw::tile_matrix(8, 8, hw::CrossbarShape{4, 4}));
  EXPECT_ANY_THROW(g.row_group_norms(torch::zeros({8, 7})));
}

TEST(CrossbarGroups, GroupWeightsScaleShrinkGradientAndPenalty) {
  torch::manual_seed(6);
  auto m = torch::randn({12, 8});
  methods::CrossbarGroups g(hw::tile_matrix(12, 8, hw::CrossbarShape{4, 4}));
  const methods::GroupWeights twos{torch::full_like(g.row_group_norms(m), 2.0), torch::full_like(g.col_group_norms(m), 2.0)};
  // A uniform weight of 2 is the plain regulariser at twice the strength.
  EXPECT_TRUE(torch::allclose(g.shrink(m, 0.3, twos), g.shrink(m, 0.6), 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(g.gradient(m, 0.1, 1e-8, twos), g.gradient(m, 0.2, 1e-8), 1e-5, 1e-6));
  EXPECT_NEAR(g.penalty(m, twos), 2 * g.penalty(m), 1e-3);
  // A zero weight spares its group: row 0 of the first tile keeps its direction through the row pass.
  auto rows = torch::ones_like(twos.rows), cols = torch::zeros_like(twos.cols);
  rows[0][0] = 0.0;
  auto shrunk = g.shrink(m, 0.3, {rows, cols});
  EXPECT_TRUE(torch::allclose(shrunk[0].slice(0, 0, 4), m[0].slice(0, 0, 4)));
  EXPECT_FALSE(torch::allclose(shrunk[1].slice(0, 0, 4), m[1].slice(0, 0, 4)));
}

TEST(CrossbarGroups, AdaptiveWeightsPushWeakGroupsHarder) {
  // One 4x4 tile; rows with norms 1, 1, 2 and 0 (mean of the live ones 4/3).
  auto m = torch::zeros({4, 4});
  m[0][0] = 1.0;
  m[1][1] = 1.0;
  m[2][2] = 2.0;
  methods::CrossbarGroups g(hw::tile_matrix(4, 4, hw::CrossbarShape{4, 4}));
  const auto w = g.adaptive_weights(m, 1.0);
  EXPECT_NEAR(w.rows[0][0].item<double>(), 4.0 / 3, 1e-5);
  EXPECT_NEAR(w.rows[2][0].item<double>(), 2.0 / 3, 1e-5);
  EXPECT_NEAR(w.rows[3][0].item<double>(), 1000.0, 1e-2);  // a dead group: large but finite
  EXPECT_TRUE(torch::allclose(g.adaptive_weights(m, 0.0).cols, torch::ones({1, 4})));
  const auto squared = g.adaptive_weights(m, 2.0);
  EXPECT_NEAR(squared.rows[2][0].item<double>(), 4.0 / 9, 1e-5);
}
