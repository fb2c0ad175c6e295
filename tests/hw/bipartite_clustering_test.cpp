#include "hw/bipartite_clustering.hpp"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <random>

#include "common/error.hpp"
#include "hw/kmeans.hpp"
#include "hw/spectral_embedding.hpp"

namespace xbarcut::hw {
namespace {

// Blocks of `in` x `out` synapses along a scrambled diagonal: block b owns inputs perm_in[b*in ..]
// and outputs perm_out[b*out ..], so the clusters are not contiguous in the matrix.
struct Planted {
  ConnectivityMask mask;
  std::vector<std::vector<int64_t>> inputs, outputs;
};

Planted planted_blocks(int64_t blocks, int64_t in, int64_t out, double density, double noise, uint32_t seed) {
  Planted p{ConnectivityMask(blocks * in, blocks * out), {}, {}};
  std::mt19937 gen(seed);
  std::vector<int64_t> pi(static_cast<size_t>(blocks * in)), po(static_cast<size_t>(blocks * out));
  for (size_t i = 0; i < pi.size(); ++i) pi[i] = static_cast<int64_t>(i);
  for (size_t i = 0; i < po.size(); ++i) po[i] = static_cast<int64_t>(i);
  std::shuffle(pi.begin(), pi.end(), gen);
  std::shuffle(po.begin(), po.end(), gen);
  std::uniform_real_distribution<double> u(0, 1);
  for (int64_t b = 0; b < blocks; ++b) {
    std::vector<int64_t> bi(pi.begin() + b * in, pi.begin() + (b + 1) * in);
    std::vector<int64_t> bo(po.begin() + b * out, po.begin() + (b + 1) * out);
    std::sort(bi.begin(), bi.end());
    std::sort(bo.begin(), bo.end());
    for (int64_t i : bi)
      for (int64_t j : bo)
        if (u(gen) < density) p.mask.set(i, j, true);
    p.inputs.push_back(bi);
    p.outputs.push_back(bo);
  }
  for (int64_t i = 0; i < p.mask.rows; ++i)
    for (int64_t j = 0; j < p.mask.cols; ++j)
      if (u(gen) < noise) p.mask.set(i, j, true);
  return p;
}

ClusteringOptions options(int64_t xbar, double quality) {
  ClusteringOptions o;
  o.crossbar = xbar;
  o.quality = quality;
  return o;
}

TEST(BipartiteClusteringTest, BlockDiagonalMaskIsRecoveredExactly) {
  const Planted p = planted_blocks(6, 30, 20, 1.0, 0.0, 7);
  const auto clusters = size_constrained_clusters(p.mask, options(32, 0.7));
  ASSERT_EQ(clusters.size(), 6u);
  for (const Cluster& c : clusters) {
    const auto it = std::find(p.inputs.begin(), p.inputs.end(), c.inputs);
    ASSERT_NE(it, p.inputs.end()) << "a cluster mixes inputs of different blocks";
    EXPECT_EQ(c.outputs, p.outputs[static_cast<size_t>(it - p.inputs.begin())]);
    EXPECT_EQ(c.synapses, 30 * 20);
    EXPECT_DOUBLE_EQ(c.quality, 1.0);
  }
}

// Connected dense blocks joined by sparse noise: the spectral split (not the component shortcut) must
// find them.
TEST(BipartiteClusteringTest, NoisyPlantedBlocksAreFound) {
  const Planted p = planted_blocks(10, 40, 40, 0.9, 0.01, 3);
  const auto clusters = size_constrained_clusters(p.mask, options(64, 0.5));
  int64_t planted_found = 0;
  for (size_t b = 0; b < p.inputs.size(); ++b) {
    for (const Cluster& c : clusters) {
      std::vector<int64_t> common;
      std::set_intersection(c.inputs.begin(), c.inputs.end(), p.inputs[b].begin(), p.inputs[b].end(),
                            std::back_inserter(common));
      if (common.size() >= 36) ++planted_found;
    }
  }
  EXPECT_GE(planted_found, 9);
}

TEST(BipartiteClusteringTest, EveryClusterFitsAndPassesTheQualityThreshold) {
  const Planted p = planted_blocks(8, 50, 45, 0.6, 0.03, 11);
  for (const bool one : {true, false}) {
    ClusteringOptions o = options(32, 0.4);
    o.one_crossbar = one;
    const auto clusters = size_constrained_clusters(p.mask, o);
    ASSERT_FALSE(clusters.empty());
    int64_t claimed = 0;
    for (const Cluster& c : clusters) {
      EXPECT_TRUE(fits(c, o));
      EXPECT_LE(c.size(), 64);
      if (one) {
        EXPECT_LE(c.inputs.size(), 32u);
      }
      EXPECT_GT(c.quality, 0.4);
      EXPECT_GE(c.synapses, 32);
      EXPECT_LE(c.synapses, count_block(p.mask, c.inputs, c.outputs));
      claimed += c.synapses;
    }
    EXPECT_LE(claimed, p.mask.count());
  }
}

TEST(BipartiteClusteringTest, SameSeedSameClusters) {
  const Planted p = planted_blocks(8, 50, 45, 0.5, 0.05, 5);
  const auto a = size_constrained_clusters(p.mask, options(32, 0.3));
  const auto b = size_constrained_clusters(p.mask, options(32, 0.3));
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].inputs, b[i].inputs);
    EXPECT_EQ(a[i].outputs, b[i].outputs);
  }
}

TEST(BipartiteClusteringTest, RejectsBadOptions) {
  ConnectivityMask m(4, 4);
  EXPECT_THROW(size_constrained_clusters(m, options(0, 0.5)), Error);
  EXPECT_THROW(size_constrained_clusters(m, options(8, 1.0)), Error);
  EXPECT_TRUE(size_constrained_clusters(m, options(8, 0.5)).empty());  // no synapse, no cluster
}

// The SVD route must give the eigenvectors of the random-walk Laplacian I - D^-1 A of the whole graph.
TEST(SpectralEmbeddingTest, MatchesTheRandomWalkLaplacian) {
  for (const int64_t nin : {70, 150}) {  // 150 x 120 takes the Lanczos path, 70 x 120 the dense one
    const int64_t nout = 120;
    std::mt19937 gen(static_cast<uint32_t>(nin));
    std::uniform_real_distribution<double> u(0, 1);
    Eigen::MatrixXd a(nin, nout);
    for (int64_t i = 0; i < nin; ++i)
      for (int64_t j = 0; j < nout; ++j) a(i, j) = (u(gen) < 0.2 || (i % 10 == j % 10)) ? 1.0 : 0.0;
    const Eigen::MatrixXd x = bipartite_spectral_embedding(a, 5);
    const int64_t n = nin + nout;
    Eigen::MatrixXd adj = Eigen::MatrixXd::Zero(n, n);
    adj.topRightCorner(nin, nout) = a;
    adj.bottomLeftCorner(nout, nin) = a.transpose();
    const Eigen::VectorXd deg = adj.rowwise().sum();
    const Eigen::MatrixXd lrw = Eigen::MatrixXd::Identity(n, n) - deg.cwiseInverse().asDiagonal() * adj;
    // Eigenvalues of L_rw are those of the symmetric form; the 5 smallest must match x's Rayleigh values.
    const Eigen::MatrixXd sym = Eigen::MatrixXd::Identity(n, n) -
                                deg.cwiseSqrt().cwiseInverse().asDiagonal() * adj * deg.cwiseSqrt().cwiseInverse().asDiagonal();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(sym);
    for (int c = 0; c < 5; ++c) {
      const Eigen::VectorXd v = x.col(c);
      const double lambda = v.dot(lrw * v) / v.dot(v);
      EXPECT_NEAR(lambda, es.eigenvalues()[c], 1e-6) << "eigenvector " << c;
      EXPECT_LT((lrw * v - lambda * v).norm(), 1e-6) << "eigenvector " << c;
    }
  }
}

TEST(KMeansTest, SeparatesObviousGroupsAndIsDeterministic) {
  Eigen::MatrixXd pts(30, 2);
  for (int i = 0; i < 30; ++i) pts.row(i) << (i / 10) * 10.0 + 0.01 * (i % 10), 0.02 * (i % 7);
  const auto a = kmeans(pts, KMeansOptions{3, 42, 100});
  for (int i = 0; i < 30; ++i) EXPECT_EQ(a[static_cast<size_t>(i)], a[static_cast<size_t>((i / 10) * 10)]);
  EXPECT_NE(a[0], a[10]);
  EXPECT_NE(a[10], a[20]);
  EXPECT_NE(a[0], a[20]);
  EXPECT_EQ(a, kmeans(pts, KMeansOptions{3, 42, 100}));
}

TEST(KMeansTest, EveryLabelUsedEvenWithDuplicatePoints) {
  Eigen::MatrixXd pts = Eigen::MatrixXd::Zero(8, 2);
  pts(7, 0) = 1.0;
  const auto labels = kmeans(pts, KMeansOptions{5, 1, 100});
  std::vector<int64_t> seen(5, 0);
  for (int64_t l : labels) ++seen[static_cast<size_t>(l)];
  for (int64_t s : seen) EXPECT_GE(s, 1);
}

}  // namespace
}  // namespace xbarcut::hw
