// PCA (centred or not) and SVD low-rank approximation, computed in double precision.
#include "methods/rank_clipping/low_rank_approximation.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace xbarcut::methods {

namespace {

// Principal directions of W (M x M, columns by decreasing importance) and, per direction, the quantity
// whose cumulative share picks the rank.
struct Spectrum {
  torch::Tensor v;                 // M x M orthonormal, double
  std::vector<double> importance;  // per column of v, decreasing
};

std::vector<double> to_vector(const torch::Tensor& t) {
  const auto c = t.to(torch::kFloat64).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

// Centred PCA on a wide W (N < M) finds at most N - 1 directions of spread, so even at rank N it may not
// rebuild W exactly; clipping applies it to U (N x K, N >= K), where it is exact at full rank.
Spectrum spectrum(const torch::Tensor& w, LraMethod method) {
  auto wd = w.detach().to(torch::kCPU, torch::kFloat64);
  if (method == LraMethod::Svd) {
    auto [u, s, vh] = torch::linalg::svd(wd, /*full_matrices=*/false, c10::nullopt);
    // Only min(N, M) directions exist; when N < M the rest carry nothing and are never needed.
    return {vh.t().contiguous(), to_vector(s)};
  }
  auto x = method == LraMethod::PcaCentred ? wd - wd.mean(0, /*keepdim=*/true) : wd;
  auto [evals, evecs] = torch::linalg::eigh(torch::mm(x.t(), x), "L");
  // eigh sorts ascending; flip to decreasing importance.
  auto v = evecs.flip({1}).contiguous();
  // The criterion is the true reconstruction error of W itself: with V orthonormal,
  // ||W - W V_K V_K^T||^2 = ||W||^2 - sum_{i<K} ||W v_i||^2.
  return {v, to_vector(torch::mm(wd, v).pow(2).sum(0))};
}

LowRank at_rank(const torch::Tensor& w, const Spectrum& sp, int64_t k) {
  auto wd = w.detach().to(torch::kCPU, torch::kFloat64);
  auto vk = sp.v.slice(1, 0, k);
  LowRank r;
  r.u = torch::mm(wd, vk).to(torch::kFloat32).contiguous();
  r.vt = vk.t().to(torch::kFloat32).contiguous();
  r.rank = k;
  r.error = relative_error(w, r.u, r.vt);
  return r;
}

int64_t max_rank(const torch::Tensor& w) {
  if (w.dim() != 2 || w.size(0) < 1 || w.size(1) < 1)
    throw Error("low-rank approximation needs a non-empty 2-D matrix");
  return std::min(w.size(0), w.size(1));
}

}  // namespace

LraMethod parse_lra_method(const std::string& name, bool centred) {
  if (name == "pca") return centred ? LraMethod::PcaCentred : LraMethod::PcaUncentred;
  if (name == "svd") {
    if (centred) throw Error("--centered applies to --lra pca only; SVD does not centre");
    return LraMethod::Svd;
  }
  throw Error("unknown --lra '" + name + "' (use pca or svd)");
}

std::string to_string(LraMethod method) {
  switch (method) {
    case LraMethod::PcaUncentred: return "pca";
    case LraMethod::PcaCentred: return "pca-centred";
    case LraMethod::Svd: return "svd";
  }
  return "?";
}

double relative_error(const torch::Tensor& w, const torch::Tensor& u, const torch::Tensor& vt) {
  auto wd = w.detach().to(torch::kCPU, torch::kFloat64);
  const double norm = wd.pow(2).sum().item<double>();
  if (norm == 0) return 0;
  auto approx = torch::mm(u.detach().to(torch::kFloat64), vt.detach().to(torch::kFloat64));
  return (wd - approx).pow(2).sum().item<double>() / norm;
}

LowRank approximate(const torch::Tensor& w, double eps, LraMethod method) {
  if (!(eps > 0 && eps < 1)) throw Error("the approximation error eps must be in (0, 1), got " + std::to_string(eps));
  const int64_t kmax = max_rank(w);
  const auto sp = spectrum(w, method);
  double total = 0;
  for (int64_t i = 0; i < kmax; ++i) total += sp.importance[i];
  if (method == LraMethod::PcaCentred) {
    // Centred directions are not optimal for W itself, so "captured" need not sum to ||W||^2 within
    // kmax; measure each candidate's true error against ||W||^2.
    total = w.detach().to(torch::kFloat64).pow(2).sum().item<double>();
  }
  if (total <= 0) return at_rank(w, sp, 1);
  double kept = 0;
  int64_t k = kmax;
  for (int64_t i = 0; i < kmax; ++i) {
    kept += sp.importance[i];
    const bool enough = method == LraMethod::Svd ? kept / total >= 1 - eps : 1 - kept / total <= eps;
    if (enough) {
      k = i + 1;
      break;
    }
  }
  return at_rank(w, sp, k);
}

LowRank approximate_at_rank(const torch::Tensor& w, int64_t k, LraMethod method) {
  const int64_t kmax = max_rank(w);
  if (k < 1 || k > kmax)
    throw Error("rank " + std::to_string(k) + " is outside 1.." + std::to_string(kmax) + " for a " +
                std::to_string(w.size(0)) + " x " + std::to_string(w.size(1)) + " matrix");
  return at_rank(w, spectrum(w, method), k);
}

}  // namespace xbarcut::methods
