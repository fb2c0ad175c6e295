#include "hw/kmeans.hpp"

#include <limits>
#include <random>

#include "common/error.hpp"

namespace xbarcut::hw {

namespace {

// Uniform in [0, 1) from the raw 64-bit generator: same numbers with every standard library.
double uniform01(std::mt19937_64& gen) { return static_cast<double>(gen() >> 11) * 0x1.0p-53; }

Eigen::MatrixXd seed_plus_plus(const Eigen::MatrixXd& x, int64_t k, std::mt19937_64& gen) {
  const int64_t n = x.rows();
  Eigen::MatrixXd centres(k, x.cols());
  const auto first = std::min<int64_t>(n - 1, static_cast<int64_t>(uniform01(gen) * static_cast<double>(n)));
  centres.row(0) = x.row(first);
  Eigen::VectorXd d2 = (x.rowwise() - centres.row(0)).rowwise().squaredNorm();
  for (int64_t c = 1; c < k; ++c) {
    const double total = d2.sum();
    int64_t pick = 0;
    if (total > 0) {
      double target = uniform01(gen) * total;
      for (pick = 0; pick < n - 1; ++pick) {
        target -= d2[pick];
        if (target < 0) break;
      }
    }
    centres.row(c) = x.row(pick);
    d2 = d2.cwiseMin((x.rowwise() - centres.row(c)).rowwise().squaredNorm());
  }
  return centres;
}

}  // namespace

std::vector<int64_t> kmeans(const Eigen::MatrixXd& x, const KMeansOptions& o) {
  if (o.k < 1) throw Error("k-means needs k >= 1 (got " + std::to_string(o.k) + ")");
  const int64_t n = x.rows();
  std::vector<int64_t> label(static_cast<size_t>(n), 0);
  if (n == 0) return label;
  const int64_t k = std::min(o.k, n);
  std::mt19937_64 gen(o.seed);
  Eigen::MatrixXd centres = seed_plus_plus(x, k, gen);
  std::vector<double> dist(static_cast<size_t>(n));
  for (int64_t it = 0; it < std::max<int64_t>(1, o.max_iters); ++it) {
    bool changed = it == 0;
    for (int64_t i = 0; i < n; ++i) {
      int64_t best = 0;
      double bd = std::numeric_limits<double>::infinity();
      for (int64_t c = 0; c < k; ++c) {
        const double d = (x.row(i) - centres.row(c)).squaredNorm();
        if (d < bd) {
          bd = d;
          best = c;
        }
      }
      if (label[static_cast<size_t>(i)] != best) changed = true;
      label[static_cast<size_t>(i)] = best;
      dist[static_cast<size_t>(i)] = bd;
    }
    // Empty clusters take the worst-fitting point, one at a time.
    std::vector<int64_t> size(static_cast<size_t>(k), 0);
    for (int64_t l : label) ++size[static_cast<size_t>(l)];
    for (int64_t c = 0; c < k; ++c) {
      if (size[static_cast<size_t>(c)] > 0) continue;
      int64_t far = -1;
      for (int64_t i = 0; i < n; ++i)
        if (size[static_cast<size_t>(label[static_cast<size_t>(i)])] > 1 &&
            (far < 0 || dist[static_cast<size_t>(i)] > dist[static_cast<size_t>(far)]))
          far = i;
      if (far < 0) break;
      --size[static_cast<size_t>(label[static_cast<size_t>(far)])];
      label[static_cast<size_t>(far)] = c;
      size[static_cast<size_t>(c)] = 1;
      dist[static_cast<size_t>(far)] = 0;
      changed = true;
    }
    if (!changed) break;
    centres.setZero();
    for (int64_t i = 0; i < n; ++i) centres.row(label[static_cast<size_t>(i)]) += x.row(i);
    for (int64_t c = 0; c < k; ++c) centres.row(c) /= static_cast<double>(size[static_cast<size_t>(c)]);
  }
  return label;
}

}  // namespace xbarcut::hw
