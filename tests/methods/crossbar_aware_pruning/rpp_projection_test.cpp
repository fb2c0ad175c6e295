// RPP schedule, units at both grains, and the probabilistic projection.
#include <algorithm>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.hpp"
#include "methods/crossbar_aware_pruning/rpp_projection.hpp"

using namespace xbarcut;
using namespace xbarcut::methods::xbprune;

TEST(RppProjection, ScheduleShrinksKeepAndGrowsProbability) {
  // 20 units, budget 4, 4 projections, p from 0.1: f = 0.25 -> keep 20 - 16 * 0.25 = 16, p = 0.325.
  auto first = rpp_step(1, 4, 20, 4, 0.1);
  EXPECT_EQ(first.keep, 16);
  EXPECT_NEAR(first.p, 0.325, 1e-12);
  auto mid = rpp_step(2, 4, 20, 4, 0.1);
  EXPECT_EQ(mid.keep, 12);
  EXPECT_NEAR(mid.p, 0.55, 1e-12);
  auto last = rpp_step(4, 4, 20, 4, 0.1);
  EXPECT_EQ(last.keep, 4);
  EXPECT_EQ(last.p, 1.0);
}

TEST(RppProjection, RampEndsEarlyThenProjectionsAreHard) {
  // ramp 0.5 of 4 projections: the ramp ends at projection 2, which is already hard, as are 3 and 4.
  auto first = rpp_step(1, 4, 20, 4, 0.1, 0.5);
  EXPECT_EQ(first.keep, 12);
  EXPECT_NEAR(first.p, 0.55, 1e-12);
  for (int64_t k = 2; k <= 4; ++k) {
    auto hard = rpp_step(k, 4, 20, 4, 0.1, 0.5);
    EXPECT_EQ(hard.keep, 4) << k;
    EXPECT_EQ(hard.p, 1.0) << k;
  }
  // A ramp shorter than one projection still ramps over one.
  EXPECT_EQ(rpp_step(1, 4, 20, 4, 0.1, 0.01).keep, 4);
  PruneOptions o;
  o.ramp = 0;
  EXPECT_THROW(validate(o), Error);
  o.ramp = 1.5;
  EXPECT_THROW(validate(o), Error);
}

TEST(RppProjection, LayerNormalisedScoresIgnoreTheLayerScale) {
  std::vector<Unit> a(3), b(3);
  const double norms[] = {4.0, 1.0, 2.0};
  for (size_t i = 0; i < 3; ++i) a[i].norm_sq = norms[i], b[i].norm_sq = 1000.0 * norms[i];
  set_layer_normalised_scores(a);
  set_layer_normalised_scores(b);
  EXPECT_DOUBLE_EQ(a[0].score, 1.0);        // the largest unit: 4 / 4
  EXPECT_DOUBLE_EQ(a[2].score, 2.0 / 6.0);  // 2 / (4 + 2)
  EXPECT_DOUBLE_EQ(a[1].score, 1.0 / 7.0);  // 1 / (4 + 2 + 1)
  for (size_t i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(a[i].score, b[i].score);
}

TEST(RppProjection, GlobalChoiceTakesUnitsFromTheLayerThatCanSpareThem) {
  // Layer 0: two units of equal norm (scores 1, 1/2). Layer 1: eight equal units (1, 1/2, ..., 1/8), scaled up
  // 100x, which a raw-norm ranking would keep first. Keeping 4 of 10: both of layer 0 and the top two of layer 1.
  std::vector<std::vector<Unit>> layers(2);
  layers[0].resize(2);
  layers[1].resize(8);
  for (auto& u : layers[0]) u.norm_sq = 1.0;
  for (auto& u : layers[1]) u.norm_sq = 100.0;
  for (auto& l : layers) set_layer_normalised_scores(l);
  std::mt19937_64 rng(1);
  const auto zeroed = choose_zeroed(layers, 4, 1.0, rng);
  EXPECT_EQ(zeroed[0], (std::vector<bool>{false, false}));
  EXPECT_EQ(std::count(zeroed[1].begin(), zeroed[1].end(), false), 2);
}

TEST(RppProjection, CrossbarUnitsAreTiles) {
  // 6 x 5 matrix on 4 x 4 crossbars: row blocks [0,4) [4,6), column blocks [0,4) [4,5).
  auto tiling = hw::tile_matrix(6, 5, hw::CrossbarShape{4, 4}, hw::TilingPolicy::Fixed);
  auto norms = torch::tensor({1.0, 2.0, 3.0, 4.0, 5.0, 0.5, 0.5, 0.5, 0.5, 9.0}).reshape({2, 5});
  auto units = make_units(norms, tiling, Grain::Crossbar);
  ASSERT_EQ(units.size(), 4u);
  EXPECT_DOUBLE_EQ(units[0].norm_sq, 10.0);
  EXPECT_DOUBLE_EQ(units[1].norm_sq, 5.0);
  EXPECT_DOUBLE_EQ(units[2].norm_sq, 2.0);
  EXPECT_DOUBLE_EQ(units[3].norm_sq, 9.0);
  EXPECT_EQ(units[3].row_block, 1);
  EXPECT_EQ(units[3].columns, (std::vector<int64_t>{4}));
}

TEST(RppProjection, ColumnUnitsAreTheBestColumnsOfARowBlock) {
  auto tiling = hw::tile_matrix(6, 5, hw::CrossbarShape{4, 4}, hw::TilingPolicy::Fixed);
  auto norms = torch::tensor({1.0, 2.0, 3.0, 4.0, 5.0, 0.5, 0.5, 0.5, 0.5, 9.0}).reshape({2, 5});
  auto units = make_units(norms, tiling, Grain::Column);
  ASSERT_EQ(units.size(), 4u);  // as many as tiles: one shared budget
  EXPECT_EQ(units[0].columns, (std::vector<int64_t>{1, 2, 3, 4}));  // the 4 largest of row block 0
  EXPECT_DOUBLE_EQ(units[0].norm_sq, 14.0);
  EXPECT_EQ(units[1].columns, (std::vector<int64_t>{0}));
  EXPECT_EQ(units[2].columns, (std::vector<int64_t>{0, 1, 2, 4}));  // 9.0 first, then ties by index
  EXPECT_DOUBLE_EQ(units[2].norm_sq, 10.5);
}

TEST(RppProjection, HardProjectionKeepsTheTopUnits) {
  auto tiling = hw::tile_matrix(6, 5, hw::CrossbarShape{4, 4}, hw::TilingPolicy::Fixed);
  auto norms = torch::tensor({1.0, 2.0, 3.0, 4.0, 5.0, 0.5, 0.5, 0.5, 0.5, 9.0}).reshape({2, 5});
  auto units = make_units(norms, tiling, Grain::Crossbar);
  std::mt19937_64 rng(7);
  auto mask = project_units(units, 2, 5, 2, 1.0, rng);  // keep tiles (0,0) = 10 and (1,1) = 9
  auto expected = torch::tensor({1.0f, 1.0f, 1.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f}).reshape({2, 5});
  EXPECT_TRUE(torch::equal(mask, expected));
  auto all = project_units(units, 2, 5, 0, 0.0, rng);  // p = 0: a relaxed step may zero nothing
  EXPECT_EQ(all.sum().item<float>(), 10.0f);
}

TEST(RppProjection, RelaxedProjectionIsRandomButSeeded) {
  // 200 equal-norm-ranked units: about p of the tail is zeroed, the same ones for the same seed.
  auto tiling = hw::tile_matrix(200, 4, hw::CrossbarShape{1, 4}, hw::TilingPolicy::Fixed);
  auto norms = torch::arange(200, torch::kFloat64).unsqueeze(1).expand({200, 4}).contiguous();
  auto units = make_units(norms, tiling, Grain::Crossbar);
  std::mt19937_64 a(3), b(3), c(4);
  auto ma = project_units(units, 200, 4, 100, 0.5, a);
  auto mb = project_units(units, 200, 4, 100, 0.5, b);
  auto mc = project_units(units, 200, 4, 100, 0.5, c);
  EXPECT_TRUE(torch::equal(ma, mb));
  EXPECT_FALSE(torch::equal(ma, mc));
  // The top 100 (rows 100..199) always survive; of the other 100 roughly half go.
  EXPECT_EQ(ma.slice(0, 100, 200).sum().item<float>(), 400.0f);
  const float zeroed_rows = 100.0f - ma.slice(0, 0, 100).sum().item<float>() / 4.0f;
  EXPECT_GT(zeroed_rows, 30.0f);
  EXPECT_LT(zeroed_rows, 70.0f);
}

TEST(RppProjection, GrainParsing) {
  EXPECT_EQ(parse_grain("column"), Grain::Column);
  EXPECT_THROW(parse_grain("tile"), Error);
  PruneOptions o;
  o.keep_ratio = 0;
  EXPECT_THROW(validate(o), Error);
}
