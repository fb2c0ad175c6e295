// Low-rank approximation of one matrix: the rank each criterion picks on a matrix with known singular
// values, the true error it reports, and centred versus uncentred PCA.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.hpp"
#include "methods/rank_clipping/low_rank_approximation.hpp"

using namespace xbarcut;
using methods::LraMethod;

namespace {

// A 6 x 4 matrix with singular values 3, 2, 1, 0 in random orthonormal bases.
torch::Tensor known_spectrum() {
  torch::manual_seed(11);
  auto [qa, ra] = torch::linalg::qr(torch::randn({6, 4}, torch::kFloat64), "reduced");
  auto [qb, rb] = torch::linalg::qr(torch::randn({4, 4}, torch::kFloat64), "reduced");
  auto s = torch::tensor({3.0, 2.0, 1.0, 0.0}, torch::kFloat64);
  return torch::mm(qa * s, qb.t()).to(torch::kFloat32);
}

}  // namespace

TEST(LowRankApproximation, PcaPicksTheSmallestRankWithinEps) {
  const auto w = known_spectrum();
  // Squared singular values 9, 4, 1 of 14: errors 5/14 at rank 1, 1/14 at rank 2, 0 at rank 3.
  auto r = methods::approximate(w, 0.1, LraMethod::PcaUncentred);
  EXPECT_EQ(r.rank, 2);
  EXPECT_NEAR(r.error, 1.0 / 14.0, 1e-5);
  EXPECT_EQ(r.u.sizes(), (std::vector<int64_t>{6, 2}));
  EXPECT_EQ(r.vt.sizes(), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(methods::approximate(w, 0.05, LraMethod::PcaUncentred).rank, 3);
  EXPECT_EQ(methods::approximate(w, 0.4, LraMethod::PcaUncentred).rank, 1);
  EXPECT_NEAR(methods::approximate(w, 0.4, LraMethod::PcaUncentred).error, 5.0 / 14.0, 1e-5);
  // V^T has orthonormal rows.
  EXPECT_TRUE(torch::allclose(torch::mm(r.vt, r.vt.t()), torch::eye(2), 1e-5, 1e-5));
}

TEST(LowRankApproximation, SvdCriterionUsesTheSingularValueShare) {
  const auto w = known_spectrum();
  // Singular values 3, 2, 1 of 6: shares 0.5, 0.833, 1. eps 0.1 needs 0.9 -> rank 3 where PCA takes 2.
  EXPECT_EQ(methods::approximate(w, 0.1, LraMethod::Svd).rank, 3);
  EXPECT_EQ(methods::approximate(w, 0.2, LraMethod::Svd).rank, 2);
  auto r = methods::approximate(w, 0.2, LraMethod::Svd);
  EXPECT_NEAR(r.error, 1.0 / 14.0, 1e-5);  // the reported error is still the true one
}

TEST(LowRankApproximation, CentredPcaReportsItsTrueErrorAndIsNeverBetterThanUncentred) {
  torch::manual_seed(5);
  // Rows share a large mean: the uncentred first direction is the mean, the centred one is not.
  auto w = torch::ones({40, 1}) * torch::randn({1, 8}) * 4.0 + torch::randn({40, 8}) * 0.5;
  for (int64_t k = 1; k <= 8; ++k) {
    auto c = methods::approximate_at_rank(w, k, LraMethod::PcaCentred);
    auto u = methods::approximate_at_rank(w, k, LraMethod::PcaUncentred);
    EXPECT_NEAR(c.error, methods::relative_error(w, c.u, c.vt), 1e-9);
    EXPECT_GE(c.error, u.error - 1e-6) << "rank " << k;  // Eckart-Young: uncentred is optimal
  }
  EXPECT_GT(methods::approximate_at_rank(w, 1, LraMethod::PcaCentred).error,
            2 * methods::approximate_at_rank(w, 1, LraMethod::PcaUncentred).error);
  // The criterion is the true error, so the chosen rank meets eps.
  auto c = methods::approximate(w, 0.03, LraMethod::PcaCentred);
  EXPECT_LE(c.error, 0.03);
  EXPECT_GT(methods::approximate_at_rank(w, c.rank - 1, LraMethod::PcaCentred).error, 0.03);
}

TEST(LowRankApproximation, FullRankIsExactAndWideMatricesWork) {
  torch::manual_seed(9);
  auto tall = torch::randn({12, 5});
  for (auto m : {LraMethod::PcaUncentred, LraMethod::PcaCentred, LraMethod::Svd}) {
    EXPECT_LT(methods::approximate_at_rank(tall, 5, m).error, 1e-10) << methods::to_string(m);
    EXPECT_LE(methods::approximate(tall, 0.01, m).error, 0.01) << methods::to_string(m);
  }
  auto wide = torch::randn({5, 12});
  for (auto m : {LraMethod::PcaUncentred, LraMethod::Svd}) {
    auto r = methods::approximate_at_rank(wide, 5, m);
    EXPECT_LT(r.error, 1e-10) << methods::to_string(m);
    EXPECT_EQ(r.u.sizes(), (std::vector<int64_t>{5, 5}));
    EXPECT_LE(methods::approximate(wide, 0.01, m).rank, 5);
  }
}

TEST(LowRankApproximation, RejectsBadInput) {
  auto w = torch::randn({4, 3});
  EXPECT_THROW(methods::approximate(w, 0.0, LraMethod::PcaUncentred), Error);
  EXPECT_THROW(methods::approximate(w, 1.0, LraMethod::PcaUncentred), Error);
  EXPECT_THROW(methods::approximate_at_rank(w, 4, LraMethod::Svd), Error);
  EXPECT_THROW(methods::approximate_at_rank(w, 0, LraMethod::Svd), Error);
  EXPECT_THROW(methods::parse_lra_method("qr", false), Error);
  EXPECT_THROW(methods::parse_lra_method("svd", true), Error);
  EXPECT_EQ(methods::parse_lra_method("pca", true), LraMethod::PcaCentred);
  // An all-zero matrix needs rank 1 and has no error.
  auto z = methods::approximate(torch::zeros({4, 3}), 0.1, LraMethod::PcaUncentred);
  EXPECT_EQ(z.rank, 1);
  EXPECT_EQ(z.error, 0.0);
}
