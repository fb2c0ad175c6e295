// k-means with k-means++ seeding from a fixed seed: the same points and seed always give the same
// labels (the generator is ours, not std::*_distribution, so results do not depend on the library).
#pragma once
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

namespace xbarcut::hw {

struct KMeansOptions {
  int64_t k = 5;           // TraNNsformer: 5 clusters per spectral step
  uint64_t seed = 1;
  int64_t max_iters = 100;  // Lloyd iterations; stops earlier once no label changes
};

// Labels in [0, k) for every row of `points` (n x d). An empty cluster is re-seeded with the point
// farthest from its centre (MATLAB's 'EmptyAction','singleton'), so with n >= k every label is used.
// k is reduced to n when there are fewer points. Throws xbarcut::Error when k < 1.
std::vector<int64_t> kmeans(const Eigen::MatrixXd& points, const KMeansOptions& options);

}  // namespace xbarcut::hw
