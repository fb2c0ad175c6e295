// The TraNNsformer step on a small MLP: phases follow the epoch shares, after the cluster-prune phase
// every surviving synapse lies inside a kept cluster that fits one crossbar, and the run is
// deterministic for a seed.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.hpp"
#include "methods/magnitude_pruning/magnitude_pruning.hpp"
#include "methods/trannsformer/crossbar_comparison.hpp"
#include "methods/trannsformer/trannsformer.hpp"

using namespace xbarcut;

namespace {

nn::Net small_net() {
  torch::manual_seed(5);
  return nn::Net(nn::make_net_spec("mlp:64-96-10", {1, 8, 8}, 10));
}

// fc1 (64 inputs x 96 outputs) with four dense 16 x 16 blocks of large weights, a few large weights
// scattered outside them (they join the blocks into one graph) and small weights everywhere else.
nn::Net planted_net() {
  auto net = small_net();
  auto gen = at::detail::createCPUGenerator(7);
  auto w = (torch::rand({64, 96}, gen) - 0.5) * 0.02;
  for (int64_t b = 0; b < 4; ++b)
    w.slice(0, 16 * b, 16 * b + 16).slice(1, 24 * b, 24 * b + 16) = 0.5 + torch::rand({16, 16}, gen) * 0.5;
  auto scattered = torch::rand({64, 96}, gen).lt(0.03).logical_and(w.abs().lt(0.1));
  w = torch::where(scattered, torch::full_like(w, 0.8), w);
  net->layer("fc1")->set_matrices({w});
  return net;
}

int64_t scattered_count(const nn::Net& net) {
  const auto m = methods::connectivity(net->layer("fc1"));
  int64_t n = 0;
  for (int64_t i = 0; i < m.rows; ++i)
    for (int64_t j = 0; j < m.cols; ++j)
      n += m.at(i, j) && !(j >= 24 * (i / 16) && j < 24 * (i / 16) + 16);
  return n;
}

methods::TrannsformerOptions small_options() {
  methods::TrannsformerOptions o;
  o.xbar = 16;
  o.prune_max = 0.8;  // the top threshold lies just below the largest small random weights (81 % of fc1)
  o.layers = {"fc1"};  // fc2 (the classifier, 10 outputs) forms no cluster: see ALayerLeftWithoutSynapsesStopsTheRun
  return o;
}

// Steps a fresh net through `epochs` - 1 transformations with a falling training error.
std::vector<std::vector<hw::Cluster>> run_steps(nn::Net net, int64_t epochs) {
  methods::Trannsformer tf(net, small_options(), epochs);
  for (int64_t e = 1; e < epochs; ++e) tf.end_of_epoch(e, 1.0 / static_cast<double>(e + 1));
  std::vector<std::vector<hw::Cluster>> out;
  for (const auto& name : tf.layers()) out.push_back(tf.clusters(name));
  return out;
}

}  // namespace

TEST(Trannsformer, PhaseEpochsFollowTheShares) {
  EXPECT_EQ(methods::phase_epoch(0.2, 10), 2);
  EXPECT_EQ(methods::phase_epoch(0.8, 10), 8);
  EXPECT_EQ(methods::phase_epoch(0.2, 3), 1);  // never before the first epoch
}

TEST(Trannsformer, AfterClusterPruningOnlyClusteredSynapsesSurvive) {
  auto net = planted_net();
  const int64_t scattered_before = scattered_count(net);
  ASSERT_GT(scattered_before, 100);
  methods::TrannsformerOptions o = small_options();
  methods::Trannsformer tf(net, o, 10);
  for (int64_t e = 1; e < 10; ++e) {
    tf.end_of_epoch(e, 1.0 / static_cast<double>(e + 1));
    if (e == 1) {
      for (const auto& name : tf.layers()) EXPECT_TRUE(tf.clusters(name).empty()) << "clustering before 20 %";
    }
  }
  EXPECT_DOUBLE_EQ(tf.threshold_level(), 1.0);  // the error fell every epoch: the ramp reached its top
  EXPECT_DOUBLE_EQ(methods::threshold_step(0.2, 10), 0.5);
  hw::ClusteringOptions co;
  co.crossbar = o.xbar;
  int64_t clustered = 0;
  for (const auto& name : tf.layers()) {
    const auto mask = methods::connectivity(net->layer(name));
    const auto& clusters = tf.clusters(name);
    const auto blocks = methods::cluster_blocks(clusters, mask.rows, mask.cols);
    for (size_t i = 0; i < mask.bits.size(); ++i)
      if (mask.bits[i]) ASSERT_TRUE(blocks.bits[i]) << name << ": a synapse outside every cluster survived";
    for (const auto& c : clusters) EXPECT_TRUE(hw::fits(c, co));
    const auto mapped = hw::map_clustered(name, mask, clusters, o.xbar, hw::HardwareOptions{});
    EXPECT_EQ(mapped.residual_synapses, 0);
    EXPECT_EQ(mapped.clustered_synapses, mask.count());
    clustered += mapped.clustered_synapses;
  }
  EXPECT_GT(clustered, 0);
  // The planted blocks survive in clusters (k-means may swap a node or two), nearly all that was
  // scattered outside them is gone.
  const int64_t kept = methods::connectivity(net->layer("fc1")).count() - scattered_count(net);
  EXPECT_GE(kept, 4 * 16 * 16 * 95 / 100);
  EXPECT_LE(scattered_count(net), scattered_before / 10);
  EXPECT_EQ(tf.clusters("fc1").size(), 4u) << "each planted block should be one cluster, not fragments";
  ASSERT_EQ(tf.history().size(), 9u);
  EXPECT_EQ(tf.history()[0]["phase"], "prune");
  EXPECT_EQ(tf.history()[8]["phase"], "cluster-prune");
}

TEST(Trannsformer, ALayerLeftWithoutSynapsesStopsTheRun) {
  // fc2 (96 x 10) holds no planted block, so no cluster forms in it; deleting its residual at the cluster-prune
  // phase would leave the network cut in two. The step refuses with the layer's name instead.
  auto net = planted_net();
  auto o = small_options();
  o.layers = {"fc1", "fc2"};
  methods::Trannsformer tf(net, o, 10);
  std::string message;
  int64_t epoch = 1;
  try {
    for (; epoch < 10; ++epoch) tf.end_of_epoch(epoch, 1.0 / static_cast<double>(epoch + 1));
  } catch (const Error& e) {
    message = e.what();
  }
  EXPECT_EQ(epoch, methods::phase_epoch(o.cluster_prune_start, 10));  // the first cluster-prune epoch
  EXPECT_NE(message.find("left fc2 with no live weight"), std::string::npos) << message;
  EXPECT_NE(message.find("--keep-residual"), std::string::npos) << message;
  // Keeping the residual keeps fc2 alive through the same schedule.
  auto kept = planted_net();
  o.prune_residual = false;
  methods::Trannsformer keep(kept, o, 10);
  for (int64_t e = 1; e < 10; ++e) keep.end_of_epoch(e, 1.0 / static_cast<double>(e + 1));
  EXPECT_GT(methods::connectivity(kept->layer("fc2")).count(), 0);
}

TEST(Trannsformer, SameSeedSameResult) {
  const auto a = run_steps(planted_net(), 6), b = run_steps(planted_net(), 6);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_FALSE(a[0].empty());
  for (size_t l = 0; l < a.size(); ++l) {
    ASSERT_EQ(a[l].size(), b[l].size());
    for (size_t k = 0; k < a[l].size(); ++k) {
      EXPECT_EQ(a[l][k].inputs, b[l][k].inputs);
      EXPECT_EQ(a[l][k].outputs, b[l][k].outputs);
    }
  }
}

TEST(Trannsformer, ComparisonRatiosAgainstTheOriginal) {
  auto net = small_net();
  const auto c = methods::compare_on_crossbars(net, nullptr, {}, 16, hw::HardwareOptions{});
  // Unpruned and unclustered: exactly the original.
  EXPECT_EQ(c.transformed_total.crossbars, c.original_total.crossbars);
  EXPECT_EQ(c.original_total.crossbars, 4 * 6 + 6 * 1);
  const auto j = methods::to_json(c);
  EXPECT_DOUBLE_EQ(j["area_ratio_vs_original"].get<double>(), 1.0);
  EXPECT_TRUE(j["area_ratio_vs_pruned"].is_null());
}

TEST(Trannsformer, RejectsBadSettings) {
  auto net = small_net();
  methods::TrannsformerOptions o = small_options();
  o.quality_min = 0.9;  // above quality_max
  EXPECT_THROW(methods::Trannsformer(net, o, 10), Error);
  EXPECT_THROW(methods::Trannsformer(net, small_options(), 1), Error);
  o = small_options();
  o.layers = {"fc9"};
  EXPECT_THROW(methods::Trannsformer(net, o, 10), Error);
}
