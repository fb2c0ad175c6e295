// Low-rank approximation of one crossbar matrix W (N x M) ~= U (N x K) V^T (K x M), Group Scissor's
// Algorithm 1, in the three variants the paper and the authors' code use. V always has orthonormal
// columns, so U = W V and the rank can only be chosen from the spectrum.
#pragma once
#include <torch/torch.h>

#include <string>

namespace xbarcut::methods {

enum class LraMethod {
  PcaUncentred,  // authors' code: eigenvectors of W^T W; keep the smallest K with error <= eps (the default)
  PcaCentred,    // the paper's Algorithm 1: eigenvectors of the row-centred covariance, W rebuilt without the mean
  Svd,           // authors' SVD variant: the singular values (square roots of the eigenvalues) keep >= 1 - eps
};

// "pca" | "svd" plus the --centered flag; throws xbarcut::Error for anything else.
LraMethod parse_lra_method(const std::string& name, bool centred);
std::string to_string(LraMethod method);

struct LowRank {
  torch::Tensor u;   // N x K
  torch::Tensor vt;  // K x M, orthonormal rows
  int64_t rank = 0;
  double error = 0;  // the true ||W - U V^T||^2 / ||W||^2 (0 for an all-zero W)
};

// The smallest rank whose approximation meets eps (0 < eps < 1) by the method's criterion: the true
// relative error for both PCA variants, the singular-value share for Svd. The rank is at least 1.
LowRank approximate(const torch::Tensor& w, double eps, LraMethod method);

// The approximation at a given rank 1 <= k <= min(N, M).
LowRank approximate_at_rank(const torch::Tensor& w, int64_t k, LraMethod method);

// ||W - U V^T||^2 / ||W||^2 in double precision; 0 when W is all zero.
double relative_error(const torch::Tensor& w, const torch::Tensor& u, const torch::Tensor& vt);

}  // namespace xbarcut::methods
