// Batch-norm recalibration after the hard projection: the running statistics become those of the pruned
// weights (eval-mode outputs equal the batch-statistics outputs on the calibration data), the module state is
// restored, and on a small trained net the accuracy right after the projection does not get worse.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.hpp"
#include "methods/crossbar_aware_pruning/crossbar_pruner.hpp"
#include "train/batch_norm_recalibration.hpp"
#include "train/trainer.hpp"
#include "../../nn/random_batch_norms.hpp"
#include "pruning_test_util.hpp"

using namespace xbarcut;
using namespace xbarcut::methods::xbprune;

namespace {

PruneOptions crossbar_keep(double keep) {
  PruneOptions o;
  o.grain = Grain::Crossbar;
  o.keep_ratio = keep;
  o.seed = 3;
  return o;
}

// Ten classes, each a fixed random 3x16x16 template plus noise: a net learns it in a few hundred steps.
train::TensorDataset templates_data(const torch::Tensor& templates, int64_t n, double noise, uint64_t seed) {
  torch::manual_seed(seed);
  train::TensorDataset d;
  d.labels = torch::randint(0, templates.size(0), {n}, torch::kLong);
  d.images = templates.index_select(0, d.labels) + noise * torch::randn({n, 3, 16, 16});
  return d;
}

double eval_loss(nn::Net& net, const train::TensorDataset& d) {
  torch::NoGradGuard guard;
  net->eval();
  const double loss = torch::nn::functional::cross_entropy(net->forward(d.images), d.labels).item<double>();
  net->train();
  return loss;
}

}  // namespace

TEST(BnRecalibration, StatisticsBecomeThoseOfThePrunedWeights) {
  torch::manual_seed(21);
  nn::Net net(nn::make_net_spec("vgg8:0.125", {3, 16, 16}, 10));
  xbarcut::test_support::randomise_batch_norms(net);  // stale statistics, as after a projection
  CrossbarPruner(net, test::fixed_crossbars(16), crossbar_keep(0.3)).finalize();
  train::TensorDataset data;
  data.images = torch::randn({64, 3, 16, 16});
  data.labels = torch::zeros({64}, torch::kLong);

  torch::NoGradGuard guard;
  // Reference: the pruned net normalising every layer with the statistics of this very batch.
  std::vector<std::pair<torch::Tensor, torch::Tensor>> saved;
  for (auto& [name, bn] : net->batch_norms()) saved.emplace_back(bn->running_mean.clone(), bn->running_var.clone());
  net->train();
  const auto reference = net->forward(data.images);
  for (size_t i = 0; i < saved.size(); ++i) {  // undo the momentum update that forward made
    net->batch_norms()[i].second->running_mean.copy_(saved[i].first);
    net->batch_norms()[i].second->running_var.copy_(saved[i].second);
  }
  net->eval();
  const auto stale = net->forward(data.images);
  const double scale = reference.abs().max().item<double>();
  EXPECT_GT((stale - reference).abs().max().item<double>(), 0.1 * scale);  // the stale statistics really are wrong

  train::RecalibrationOptions r;
  r.batches = 1;
  r.batch = 64;  // the whole set in one batch: the running statistics must be exactly its statistics
  EXPECT_EQ(train::recalibrate_batch_norms(net, data, r), 6);
  EXPECT_FALSE(net->is_training());  // eval mode restored
  const auto recalibrated = net->forward(data.images);
  // Equal up to the unbiased variance (factor n / (n - 1), n >= 64 * 4 * 4 values per channel) the running
  // statistics keep: under 1e-3 relative per layer, so 3e-3 of the logits' scale over the six layers.
  EXPECT_LT((recalibrated - reference).abs().max().item<double>(), 3e-3 * scale) << scale;
  for (auto& [name, bn] : net->batch_norms()) {
    ASSERT_TRUE(bn->options.momentum().has_value()) << name;
    EXPECT_DOUBLE_EQ(*bn->options.momentum(), 0.1) << name;  // momentum restored for fine-tuning
  }

  // Two batches average: the statistics of batches 0 and 1 of the stream, not of the last one only.
  r.batches = 2;
  r.batch = 32;
  train::recalibrate_batch_norms(net, data, r);
  const auto& bn1 = net->batch_norms()[0].second;
  train::BatchStream stream(data, 32, r.seed);
  auto conv1 = net->weight_layers()[0];
  const auto m0 = conv1->forward(stream.batch(0).first).mean({0, 2, 3});
  const auto m1 = conv1->forward(stream.batch(1).first).mean({0, 2, 3});
  EXPECT_TRUE(torch::allclose(bn1->running_mean, (m0 + m1) / 2, 1e-4, 1e-5));
  EXPECT_FALSE(torch::allclose(bn1->running_mean, m1, 1e-4, 1e-5));

  r.batches = 0;
  EXPECT_THROW(train::recalibrate_batch_norms(net, data, r), Error);
}

TEST(BnRecalibration, HelpsTheAccuracyRightAfterTheHardProjection) {
  torch::manual_seed(22);
  const auto templates = torch::randn({10, 3, 16, 16});
  const auto train_set = templates_data(templates, 1024, 1.0, 1);
  const auto test_set = templates_data(templates, 512, 1.0, 2);
  torch::manual_seed(23);
  nn::Net net(nn::make_net_spec("vgg8:0.125", {3, 16, 16}, 10));
  train::SolverOptions o;
  o.base_lr = 0.05;
  o.lr_policy = "fixed";
  o.max_iter = 200;
  o.batch = 32;
  o.momentum = 0.9;
  o.weight_decay = 5e-4;
  o.display = 0;
  o.test_interval = 0;
  o.checkpoint_every = 0;
  train::Trainer(net, o, train_set, test_set, {}, "").run();
  const double base = train::evaluate(net, test_set);
  ASSERT_GT(base, 0.5);  // the net learned the task, so a drop has room to show

  // Half the crossbars at column grain: the pruned net keeps much of its function, only its bn statistics
  // are stale (at much harder pruning the net is near chance with any statistics).
  auto prune = crossbar_keep(0.5);
  prune.grain = Grain::Column;
  CrossbarPruner(net, test::fixed_crossbars(16), prune).finalize();
  const double stale = train::evaluate(net, test_set);
  const double stale_loss = eval_loss(net, test_set);
  train::RecalibrationOptions r;
  r.batches = 16;
  r.batch = 64;
  train::recalibrate_batch_norms(net, train_set, r);
  const double recalibrated = train::evaluate(net, test_set);
  const double recalibrated_loss = eval_loss(net, test_set);
  RecordProperty("base", std::to_string(base));
  RecordProperty("stale", std::to_string(stale));
  RecordProperty("recalibrated", std::to_string(recalibrated));
  std::printf("base %.4f  projected %.4f (loss %.3f)  recalibrated %.4f (loss %.3f)\n", base, stale, stale_loss,
              recalibrated, recalibrated_loss);
  EXPECT_GE(recalibrated, stale);
  EXPECT_LT(recalibrated_loss, stale_loss);
}
