// The whole deletion on a tiny problem: wires drop, accuracy holds, masked weights are zero, the history and
// the JSON carry what the CLI and the pipeline report, and magnitude pruning is matched in sparsity.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "common/error.hpp"
#include "deletion_test_util.hpp"
#include "methods/group_deletion/group_deletion.hpp"
#include "methods/group_deletion/magnitude_baseline.hpp"
#include "nn/copy_state.hpp"
#include "train/checkpoint.hpp"
#include "train/lr_policy.hpp"
#include "train/stop_request.hpp"
#include "train/trainer.hpp"

using namespace xbarcut;

namespace {

methods::GroupDeletionOptions tiny_options() {
  methods::GroupDeletionOptions o;
  o.lasso.lambda = 0.02;
  o.lasso.hw = test::small_crossbars();
  o.lasso.zero_threshold = 2e-3;  // above the lr * lambda = 1e-3 oscillation of a dead group (see group_lasso_test)
  o.iters = 200;
  o.finetune_iters = 60;
  o.record_every = 50;
  o.solver = test::quick_solver(1);
  return o;
}

}  // namespace

TEST(GroupDeletion, DeletesWiresKeepsAccuracyAndReportsIt) {
  auto train_set = test::signal_blobs(800, 1), test_set = test::signal_blobs(400, 2);
  auto net = test::tiny_net();
  auto pre = test::tiny_net();
  train::Trainer(pre, test::quick_solver(100), train_set, test_set, {}, "").run();
  net = nn::clone(pre);
  const auto r = methods::run_group_deletion(tiny_options(), net, train_set, test_set, {});

  EXPECT_GT(r.baseline_accuracy, 0.9);
  EXPECT_GT(r.accuracy, r.baseline_accuracy - 0.03);
  // Both matrices need more than one 8 x 8 crossbar (fc1 64x16: 8x2 tiles, fc2 16x4: 2x1), so both are big.
  ASSERT_EQ(r.regularised, (std::vector<std::string>{"fc1", "fc2"}));
  const auto& fc1 = r.cost.matrices[0];
  const auto& fc2 = r.cost.matrices[1];
  EXPECT_EQ(fc1.name, "fc1");
  EXPECT_EQ(fc2.name, "fc2");
  EXPECT_LT(fc1.live_wires_ratio, 0.8);
  EXPECT_DOUBLE_EQ(r.cost.routing_area_ratio,
                   (fc1.live_wires_ratio * fc1.live_wires_ratio + fc2.live_wires_ratio * fc2.live_wires_ratio) / 2);
  EXPECT_LE(r.cost.compacted_area_ratio, r.cost.nonempty_area_ratio);
  EXPECT_LE(r.cost.nonempty_area_ratio, r.cost.crossbar_area_ratio);
  EXPECT_GT(r.deleted_weights, 0);
  EXPECT_TRUE(net->spec().layer("fc1").masked);
  auto w = net->layer("fc1")->weights()[0];
  EXPECT_EQ(w.masked_select(net->layer("fc1")->weight_masks()[0].eq(0)).abs().max().item<float>(), 0.f);

  // History: iteration 0, every 50 through both phases, the end of each phase.
  EXPECT_EQ(r.history.iters.front(), 0);
  EXPECT_EQ(r.history.iters.back(), 260);
  EXPECT_EQ(r.history.deletion_iter, 200);
  EXPECT_DOUBLE_EQ(r.history.live.front()[0], 1.0);
  EXPECT_DOUBLE_EQ(r.history.live.back()[0], fc1.live_wires_ratio);

  // Magnitude pruning: same sparsity, more live wires (unstructured zeros scatter over the groups).
  ASSERT_TRUE(r.magnitude.has_value());
  const auto& mag = r.magnitude->cost.matrices[0];
  EXPECT_EQ(mag.nonzero_cells, fc1.nonzero_cells);
  EXPECT_GT(mag.live_wires_ratio, fc1.live_wires_ratio);

  const auto j = methods::to_json(r);
  for (const char* key : {"accuracy", "baseline_accuracy", "crossbar_area_ratio", "routing_area_ratio", "matrices",
                          "crossbar_area_ratio_nonempty", "crossbar_area_ratio_compacted", "magnitude_pruned",
                          "history"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["matrices"][0]["name"], "fc1");
  EXPECT_TRUE(j["matrices"][0].contains("live_wires_ratio"));
  EXPECT_TRUE(j["matrices"][0].contains("routing_area_ratio"));
}

TEST(GroupDeletion, RefusesANetworkWithoutBigMatrices) {
  auto set = test::signal_blobs(50, 1);
  auto o = tiny_options();
  o.lasso.hw.xbar = {64, 64};  // everything of the tiny MLP fits one crossbar
  EXPECT_THROW(methods::run_group_deletion(o, test::tiny_net(), set, set, {}), Error);
  o = tiny_options();
  o.iters = 0;
  EXPECT_THROW(methods::run_group_deletion(o, test::tiny_net(), set, set, {}), Error);
  o = tiny_options();
  o.finetune_lr = -0.001;
  EXPECT_THROW(methods::validate(o), Error);
}

TEST(GroupDeletion, FineTuningRunsAtItsOwnRate) {
  auto o = tiny_options();
  EXPECT_DOUBLE_EQ(methods::finetune_base_lr(o), o.solver.base_lr / 10);
  EXPECT_DOUBLE_EQ(methods::to_json(o)["finetune_lr"].get<double>(), o.solver.base_lr / 10);
  o.finetune_lr = 0.05;
  EXPECT_DOUBLE_EQ(methods::finetune_base_lr(o), 0.05);

  // The rate reaches the fine-tuning phase: at a negligible rate its weights stay those the lasso phase left
  // (the run without fine-tuning), at the default rate they move.
  auto train_set = test::signal_blobs(400, 1), test_set = test::signal_blobs(100, 2);
  auto pre = test::tiny_net();
  train::Trainer(pre, test::quick_solver(50), train_set, test_set, {}, "").run();
  auto fc1_after = [&](int64_t finetune_iters, double finetune_lr) {
    auto opt = tiny_options();
    opt.magnitude_comparison = false;
    opt.finetune_iters = finetune_iters;
    opt.finetune_lr = finetune_lr;
    auto net = nn::clone(pre);
    methods::run_group_deletion(opt, net, train_set, test_set, {});
    return net->layer("fc1")->weights()[0].clone();
  };
  const auto lasso_only = fc1_after(0, 0);
  EXPECT_LT((fc1_after(60, 1e-12) - lasso_only).abs().max().item<float>(), 1e-6f);
  EXPECT_GT((fc1_after(60, 0) - lasso_only).abs().max().item<float>(), 1e-4f);
}

TEST(GroupDeletion, DistillationTeachesTheFineTuningPhaseTheInputNetwork) {
  // With an empty lasso phase (lambda 0, a negligible rate) the network entering fine-tuning is the input network.
  // Learning only the teacher's outputs (weight 1) then leaves it where it is, because the teacher is that same
  // input network, frozen; learning the labels (weight 0) moves it.
  auto train_set = test::signal_blobs(400, 1), test_set = test::signal_blobs(100, 2);
  auto pre = test::tiny_net();
  train::Trainer(pre, test::quick_solver(50), train_set, test_set, {}, "").run();
  const auto before = pre->layer("fc1")->weights()[0].clone();
  auto fc1_after = [&](double weight) {
    auto o = tiny_options();
    o.magnitude_comparison = false;
    o.lasso.lambda = 0;
    o.lasso.zero_threshold = 0;
    o.solver.base_lr = 1e-12;
    o.solver.weight_decay = 0;
    o.finetune_lr = 0.05;
    o.distill = {weight, 2.0};
    auto net = nn::clone(pre);
    methods::run_group_deletion(o, net, train_set, test_set, {});
    return net->layer("fc1")->weights()[0].clone();
  };
  EXPECT_LT((fc1_after(1.0) - before).abs().max().item<float>(), 1e-5f);
  EXPECT_GT((fc1_after(0.0) - before).abs().max().item<float>(), 1e-3f);

  // After a real lasso phase the network differs from its input; fine-tuning on the teacher's outputs alone brings
  // its outputs back toward the input network's (a teacher that were the student itself would move nothing).
  auto kl_to_input = [&](int64_t finetune_iters) {
    auto o = tiny_options();
    o.magnitude_comparison = false;
    o.solver.weight_decay = 0;
    o.finetune_iters = finetune_iters;
    o.finetune_lr = 0.05;
    o.distill = {1.0, 2.0};
    auto net = nn::clone(pre);
    methods::run_group_deletion(o, net, train_set, test_set, {});
    torch::NoGradGuard no_grad;
    net->eval();
    pre->eval();
    const auto log_p = torch::log_softmax(pre->forward(test_set.images), 1);
    const auto log_q = torch::log_softmax(net->forward(test_set.images), 1);
    return (log_p.exp() * (log_p - log_q)).sum(1).mean().item<double>();
  };
  const double after_lasso = kl_to_input(0);
  EXPECT_GT(after_lasso, 1e-3);
  EXPECT_LT(kl_to_input(200), 0.5 * after_lasso);
  auto bad = tiny_options();
  bad.distill.weight = 2;
  EXPECT_THROW(methods::validate(bad), Error);
  EXPECT_EQ(methods::to_json(tiny_options())["distill"]["weight"], 0.0);
}

TEST(GroupDeletion, FineTuningHasItsOwnSchedule) {
  auto o = tiny_options();
  o.finetune_lr = 0.01;
  o.finetune_stepvalues = {20, 40};
  const auto s = methods::finetune_solver(o);
  EXPECT_EQ(s.lr_policy, "multistep");
  EXPECT_EQ(s.max_iter, o.finetune_iters);
  EXPECT_DOUBLE_EQ(train::learning_rate(s, 19), 0.01);
  EXPECT_NEAR(train::learning_rate(s, 20), 0.001, 1e-12);  // a fixed lasso policy: Caffe's usual x0.1 drops
  EXPECT_NEAR(train::learning_rate(s, 45), 0.0001, 1e-12);
  o.solver.lr_policy = "multistep";  // a stepping lasso phase keeps its own drop factor
  o.solver.stepvalues = {150};
  o.solver.gamma = 0.5;
  EXPECT_NEAR(train::learning_rate(methods::finetune_solver(o), 25), 0.005, 1e-12);
  o.finetune_stepvalues.clear();  // without drops of its own the phase restarts the lasso phase's policy
  EXPECT_EQ(methods::finetune_solver(o).stepvalues, o.solver.stepvalues);
  EXPECT_EQ(methods::to_json(o)["finetune_stepvalues"].size(), 0u);

  for (auto bad : std::vector<std::vector<int64_t>>{{40, 20}, {0}, {60}}) {
    o.finetune_stepvalues = bad;
    EXPECT_THROW(methods::validate(o), Error);
  }

  // The schedule reaches the run: an early drop leaves other weights than the restarted lasso policy.
  auto train_set = test::signal_blobs(400, 1), test_set = test::signal_blobs(100, 2);
  auto fc1_after = [&](std::vector<int64_t> steps) {
    auto opt = tiny_options();
    opt.magnitude_comparison = false;
    opt.finetune_lr = 0.05;
    opt.finetune_stepvalues = steps;
    auto net = test::tiny_net();
    methods::run_group_deletion(opt, net, train_set, test_set, {});
    return net->layer("fc1")->weights()[0].clone();
  };
  EXPECT_GT((fc1_after({5}) - fc1_after({})).abs().max().item<float>(), 1e-4f);
}

TEST(GroupDeletion, AResumedRunCountsTheTimeBeforeIt) {
  auto train_set = test::signal_blobs(400, 1), test_set = test::signal_blobs(100, 2);
  auto o = tiny_options();
  o.magnitude_comparison = false;
  const auto dir = std::filesystem::temp_directory_path() / "xbarcut_deletion_seconds";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  o.checkpoint_path = (dir / "checkpoint.pt").string();
  auto input = test::tiny_net();
  train::request_stop();  // Ctrl-C: the lasso phase stops after its first iteration, with a checkpoint
  auto net = nn::clone(input);
  EXPECT_THROW(methods::run_group_deletion(o, net, train_set, test_set, {}), train::Interrupted);
  train::clear_stop_request();
  // As if the interrupted part had run for an hour: far longer than the rest of this run can take.
  auto ckpt = train::load_checkpoint(o.checkpoint_path);
  EXPECT_EQ(ckpt.iter, 1);
  ckpt.info["seconds"] = 3600.0;
  net = nn::clone(input);
  const auto r = methods::run_group_deletion(o, net, train_set, test_set, {}, &ckpt);
  EXPECT_GE(r.seconds, 3600.0);
  EXPECT_LT(r.seconds, 3600.0 + 600.0);
  EXPECT_EQ(r.history.iters.back(), o.iters + o.finetune_iters);
}

TEST(MagnitudeBaseline, PrunesExactlyTheSmallestWeights) {
  auto net = test::tiny_net();
  auto copy = nn::clone(net);
  auto before = net->layer("fc1")->weights()[0].clone();
  methods::magnitude_prune(copy, {{"fc1", 100}});
  auto after = copy->layer("fc1")->weights()[0];
  EXPECT_EQ(after.eq(0).sum().item<int64_t>(), 100);
  const float largest_pruned = before.masked_select(after.eq(0)).abs().max().item<float>();
  const float smallest_kept = after.masked_select(after.ne(0)).abs().min().item<float>();
  EXPECT_LE(largest_pruned, smallest_kept);
  EXPECT_TRUE(torch::equal(net->layer("fc1")->weights()[0], before));  // the clone owns its weights
  EXPECT_EQ(methods::zero_counts(copy, {"fc1", "fc2"}).at("fc1"), 100);
  EXPECT_THROW(methods::magnitude_prune(copy, {{"fc7", 1}}), Error);
  EXPECT_THROW(methods::magnitude_prune(copy, {{"fc2", 1000}}), Error);
}
