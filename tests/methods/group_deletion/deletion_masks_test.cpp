// Deletion: all-zero groups (and zero weights, the paper's default) become fixed masks; a masked weight stays
// exactly zero through fine-tuning and through a checkpoint round trip.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "deletion_test_util.hpp"
#include "methods/group_deletion/deletion_masks.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"

using namespace xbarcut;

namespace {

methods::GroupLassoOptions small_options() {
  methods::GroupLassoOptions o;
  o.hw = test::small_crossbars();
  return o;
}

// fc1 (64 x 16 on 8 x 8 crossbars) with rows 8..15 dead in column block 0, column 3 dead in row block 2,
// and one lone zero inside live groups.
void carve(nn::Net& net) {
  torch::NoGradGuard guard;
  auto m = net->layer("fc1")->matrices()[0];
  m.slice(0, 8, 16).slice(1, 0, 8).zero_();
  m.slice(0, 16, 24).slice(1, 3, 4).zero_();
  m[40][12] = 0;
  net->layer("fc1")->set_matrices({m});
}

}  // namespace

TEST(DeletionMasks, GroupModeMasksOnlyAllZeroGroups) {
  auto net = test::tiny_net();
  carve(net);
  methods::GroupLasso lasso(net, small_options());
  const int64_t deleted = methods::fix_deletion_masks(lasso, /*mask_zero_weights=*/false);
  auto mask = net->layer("fc1")->weight_masks()[0].t();  // module [16, 64] -> crossbar [64, 16]
  EXPECT_EQ(deleted, 8 * 8 + 8);  // the whole dead tile, plus the dead column group
  EXPECT_EQ(mask.slice(0, 8, 16).slice(1, 0, 8).sum().item<float>(), 0.f);
  EXPECT_EQ(mask[40][12].item<float>(), 1.f);
  EXPECT_TRUE(net->spec().layer("fc1").masked);
  // fc2 (16 x 4) needs two 8 x 8 crossbars, so it is a group-Lasso target too, but none of its groups is zero.
  ASSERT_TRUE(net->spec().layer("fc2").masked);
  EXPECT_EQ(net->layer("fc2")->weight_masks()[0].min().item<float>(), 1.f);
}

TEST(DeletionMasks, WeightModeAlsoMasksLoneZeros) {
  auto net = test::tiny_net();
  carve(net);
  methods::GroupLasso lasso(net, small_options());
  const int64_t deleted = methods::fix_deletion_masks(lasso, /*mask_zero_weights=*/true);
  auto mask = net->layer("fc1")->weight_masks()[0].t();
  EXPECT_EQ(mask[40][12].item<float>(), 0.f);
  EXPECT_EQ(deleted, net->layer("fc1")->matrices()[0].eq(0).sum().item<int64_t>());
}

TEST(DeletionMasks, MaskedWeightsStayExactlyZeroThroughFineTuningAndReload) {
  auto train_set = test::signal_blobs(400, 1), test_set = test::signal_blobs(100, 2);
  auto net = test::tiny_net();
  carve(net);
  methods::GroupLasso lasso(net, small_options());
  methods::fix_deletion_masks(lasso, true);
  auto mask = net->layer("fc1")->weight_masks()[0].clone();
  auto before = net->layer("fc1")->weights()[0].clone();
  train::Trainer(net, test::quick_solver(60), train_set, test_set, {}, "").run();
  auto w = net->layer("fc1")->weights()[0];
  EXPECT_EQ(w.masked_select(mask.eq(0)).abs().max().item<float>(), 0.f);
  EXPECT_FALSE(torch::equal(w.masked_select(mask.eq(1)), before.masked_select(mask.eq(1))));  // the rest learnt

  const auto path = (std::filesystem::temp_directory_path() / "xbarcut_deletion_masks.pt").string();
  train::Checkpoint ckpt;
  ckpt.net = net;
  train::save_checkpoint(path, ckpt);
  auto loaded = train::load_checkpoint(path);
  ASSERT_TRUE(loaded.net->layer("fc1")->has_masks());
  EXPECT_TRUE(torch::equal(loaded.net->layer("fc1")->weight_masks()[0], mask));
  // Training the reloaded net keeps the deletion too.
  train::Trainer(loaded.net, test::quick_solver(20), train_set, test_set, {}, "").run();
  EXPECT_EQ(loaded.net->layer("fc1")->weights()[0].masked_select(mask.eq(0)).abs().max().item<float>(), 0.f);
  std::filesystem::remove(path);
}

TEST(DeletionMasks, KeepsMasksTheLayerAlreadyHad) {
  auto net = test::tiny_net();
  auto old = torch::ones({64, 16});
  old[50][1] = 0;
  net->layer("fc1")->set_matrix_masks({old});
  carve(net);  // set_matrices clears masks: put them back after carving
  net->layer("fc1")->set_matrix_masks({old});
  methods::GroupLasso lasso(net, small_options());
  methods::fix_deletion_masks(lasso, false);
  auto mask = net->layer("fc1")->weight_masks()[0].t();
  EXPECT_EQ(mask[50][1].item<float>(), 0.f);
  EXPECT_EQ(mask.slice(0, 8, 16).slice(1, 0, 8).sum().item<float>(), 0.f);
}
