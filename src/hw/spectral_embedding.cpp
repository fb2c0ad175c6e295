#include "hw/spectral_embedding.hpp"

#include <Eigen/Eigenvalues>
#include <Spectra/SymEigsSolver.h>

#include <algorithm>
#include <cmath>

#include "common/error.hpp"

namespace xbarcut::hw {

namespace {

// The Gram matrix B B^T (or B^T B) as an operator, never formed: two matrix-vector products.
struct GramOp {
  using Scalar = double;
  const Eigen::MatrixXd& b;
  bool by_rows;
  Eigen::Index rows() const { return by_rows ? b.rows() : b.cols(); }
  Eigen::Index cols() const { return rows(); }
  void perform_op(const double* x_in, double* y_out) const {
    Eigen::Map<const Eigen::VectorXd> x(x_in, rows());
    Eigen::Map<Eigen::VectorXd> y(y_out, rows());
    if (by_rows)
      y.noalias() = b * (b.transpose() * x);
    else
      y.noalias() = b.transpose() * (b * x);
  }
};

// The k largest eigenpairs of the Gram matrix, largest first. Restarted Lanczos (Spectra) on big
// graphs; the dense solver on small ones or when Lanczos does not converge.
void top_eigenpairs(const Eigen::MatrixXd& b, bool by_rows, int64_t k, Eigen::VectorXd& values,
                    Eigen::MatrixXd& vectors) {
  const Eigen::Index n = by_rows ? b.rows() : b.cols();
  if (n > 64 && k < n / 2) {
    GramOp op{b, by_rows};
    const Eigen::Index ncv = std::min<Eigen::Index>(n, std::max<Eigen::Index>(2 * k + 1, 20));
    Spectra::SymEigsSolver<GramOp> eigs(op, static_cast<Eigen::Index>(k), ncv);
    eigs.init();  // Spectra's fixed-seed start vector: deterministic
    eigs.compute(Spectra::SortRule::LargestAlge, 1000, 1e-10);
    if (eigs.info() == Spectra::CompInfo::Successful) {
      values = eigs.eigenvalues();
      vectors = eigs.eigenvectors();
      return;
    }
  }
  const Eigen::MatrixXd gram = by_rows ? Eigen::MatrixXd(b * b.transpose()) : Eigen::MatrixXd(b.transpose() * b);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram);
  values.resize(k);
  vectors.resize(n, k);
  for (int64_t c = 0; c < k; ++c) {  // Eigen sorts ascending: the largest come last
    values[c] = solver.eigenvalues()[n - 1 - c];
    vectors.col(c) = solver.eigenvectors().col(n - 1 - c);
  }
}

}  // namespace

Eigen::MatrixXd bipartite_spectral_embedding(const Eigen::MatrixXd& a, int64_t dims) {
  const int64_t nin = a.rows(), nout = a.cols();
  const Eigen::VectorXd dr = a.rowwise().sum(), dc = a.colwise().sum().transpose();
  if (nin == 0 || nout == 0 || dr.minCoeff() <= 0 || dc.minCoeff() <= 0)
    throw Error("spectral embedding needs a bipartite graph without isolated nodes");
  const Eigen::VectorXd rr = dr.cwiseSqrt().cwiseInverse(), rc = dc.cwiseSqrt().cwiseInverse();
  const Eigen::MatrixXd b = rr.asDiagonal() * a * rc.asDiagonal();
  const bool by_rows = nin <= nout;  // eigen-decompose the smaller Gram matrix
  const int64_t k = std::min<int64_t>(dims, std::min(nin, nout));
  Eigen::VectorXd values;
  Eigen::MatrixXd vectors;
  top_eigenpairs(b, by_rows, k, values, vectors);
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(nin + nout, dims);
  for (int64_t c = 0; c < k; ++c) {
    const double s = std::sqrt(std::max(0.0, values[c]));
    const Eigen::VectorXd w = vectors.col(c);
    Eigen::VectorXd u, v;
    if (by_rows) {
      u = w;
      v = s > 1e-12 ? Eigen::VectorXd(b.transpose() * w / s) : Eigen::VectorXd::Zero(nout);
    } else {
      v = w;
      u = s > 1e-12 ? Eigen::VectorXd(b * w / s) : Eigen::VectorXd::Zero(nin);
    }
    // Back from the symmetric form to L's eigenvector: x = D^-1/2 y.
    Eigen::VectorXd x(nin + nout);
    x.head(nin) = u.cwiseProduct(rr);
    x.tail(nout) = v.cwiseProduct(rc);
    const double norm = x.norm();
    if (norm > 0) x /= norm;
    // A fixed sign so the embedding does not depend on the solver's sign choice.
    Eigen::Index big = 0;
    x.cwiseAbs().maxCoeff(&big);
    if (x[big] < 0) x = -x;
    out.col(c) = x;
  }
  return out;
}

}  // namespace xbarcut::hw
