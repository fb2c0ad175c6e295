#include "hw/bipartite_clustering.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"
#include "hw/kmeans.hpp"
#include "hw/spectral_embedding.hpp"

namespace xbarcut::hw {

void validate(const ClusteringOptions& o) {
  if (o.crossbar < 1) throw Error("crossbar size must be at least 1 (got " + std::to_string(o.crossbar) + ")");
  if (!(o.size_factor > 0)) throw Error("cluster size factor must be positive; the paper uses 2");
  if (!(o.quality >= 0 && o.quality < 1))
    throw Error("cluster quality threshold " + std::to_string(o.quality) + " is outside [0, 1); use e.g. 0.7");
  if (o.eigenvectors < 1 || o.k < 2) throw Error("clustering needs at least 1 eigenvector and k >= 2");
  if (o.min_synapses < 0) throw Error("min_synapses must be 0 (= crossbar size) or more");
  if (o.max_rounds < 1) throw Error("clustering needs at least one extraction round");
}

bool fits(const Cluster& c, const ClusteringOptions& o) {
  const double limit = o.size_factor * static_cast<double>(o.crossbar);
  if (static_cast<double>(c.size()) > limit) return false;
  if (!o.one_crossbar) return true;
  return static_cast<int64_t>(c.inputs.size()) <= o.crossbar && static_cast<int64_t>(c.outputs.size()) <= o.crossbar;
}

namespace {

// Takes inputs x outputs as a cluster if its unclaimed synapses are dense enough; claims them.
bool take(ConnectivityMask& remaining, const std::vector<int64_t>& in, const std::vector<int64_t>& out,
          const ClusteringOptions& o, std::vector<Cluster>& found) {
  if (in.empty() || out.empty()) return false;
  const int64_t syn = count_block(remaining, in, out);
  const double q = static_cast<double>(syn) / static_cast<double>(in.size() * out.size());
  if (!(q > o.quality) || syn < o.min_synapses) return false;
  for (int64_t i : in)
    for (int64_t j : out) remaining.set(i, j, false);
  found.push_back(Cluster{in, out, syn, q});
  return true;
}

// How many crossbar-sized parts a region needs at least.
int64_t parts_needed(const Cluster& c, const ClusteringOptions& o) {
  auto up = [](double a, double b) { return static_cast<int64_t>(std::ceil(a / b)); };
  int64_t n = up(static_cast<double>(c.size()), o.size_factor * static_cast<double>(o.crossbar));
  if (o.one_crossbar) {
    n = std::max(n, up(static_cast<double>(c.inputs.size()), static_cast<double>(o.crossbar)));
    n = std::max(n, up(static_cast<double>(c.outputs.size()), static_cast<double>(o.crossbar)));
  }
  return n;
}

// Connected components of the bipartite graph `a` (inputs then outputs), numbered in order of their
// first node.
std::vector<int64_t> components(const Eigen::MatrixXd& a, int64_t& count) {
  const int64_t nin = a.rows(), nout = a.cols();
  std::vector<int64_t> label(static_cast<size_t>(nin + nout), -1);
  count = 0;
  std::vector<int64_t> stack;
  for (int64_t start = 0; start < nin + nout; ++start) {
    if (label[static_cast<size_t>(start)] >= 0) continue;
    label[static_cast<size_t>(start)] = count;
    stack.push_back(start);
    while (!stack.empty()) {
      const int64_t v = stack.back();
      stack.pop_back();
      if (v < nin) {
        for (int64_t j = 0; j < nout; ++j)
          if (a(v, j) > 0 && label[static_cast<size_t>(nin + j)] < 0) {
            label[static_cast<size_t>(nin + j)] = count;
            stack.push_back(nin + j);
          }
      } else {
        for (int64_t i = 0; i < nin; ++i)
          if (a(i, v - nin) > 0 && label[static_cast<size_t>(i)] < 0) {
            label[static_cast<size_t>(i)] = count;
            stack.push_back(i);
          }
      }
    }
    ++count;
  }
  return label;
}

// Ours: the densest part of a group that is too big, found by peeling: the input or output with the
// smallest share of synapses inside the group goes first (on a side that is still too big) until the
// group fits. A few loosely attached nodes then no longer cut a dense block into k fragments. The
// peeled nodes stay unclaimed for the next round.
Cluster peel(const ConnectivityMask& remaining, std::vector<int64_t> in, std::vector<int64_t> out,
             const ClusteringOptions& o) {
  std::vector<int64_t> din(in.size(), 0), dout(out.size(), 0);
  for (size_t i = 0; i < in.size(); ++i)
    for (size_t j = 0; j < out.size(); ++j)
      if (remaining.at(in[i], out[j])) ++din[i], ++dout[j];
  const double limit = o.size_factor * static_cast<double>(o.crossbar);
  auto weakest = [](const std::vector<int64_t>& deg) {
    size_t at = 0;
    for (size_t k = 1; k < deg.size(); ++k)
      if (deg[k] < deg[at]) at = k;
    return at;
  };
  while (!in.empty() && !out.empty()) {
    const bool over_in = o.one_crossbar && static_cast<int64_t>(in.size()) > o.crossbar;
    const bool over_out = o.one_crossbar && static_cast<int64_t>(out.size()) > o.crossbar;
    const bool over_sum = static_cast<double>(in.size() + out.size()) > limit;
    if (!over_in && !over_out && !over_sum) break;
    const size_t wi = weakest(din), wo = weakest(dout);
    const double si = static_cast<double>(din[wi]) / static_cast<double>(out.size());
    const double so = static_cast<double>(dout[wo]) / static_cast<double>(in.size());
    const bool drop_input = over_in != over_out ? over_in : si <= so;
    if (drop_input) {
      for (size_t j = 0; j < out.size(); ++j) dout[j] -= remaining.at(in[wi], out[j]);
      in.erase(in.begin() + static_cast<std::ptrdiff_t>(wi));
      din.erase(din.begin() + static_cast<std::ptrdiff_t>(wi));
    } else {
      for (size_t i = 0; i < in.size(); ++i) din[i] -= remaining.at(in[i], out[wo]);
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(wo));
      dout.erase(dout.begin() + static_cast<std::ptrdiff_t>(wo));
    }
  }
  return Cluster{in, out, 0, 0};
}

// Clusters the region inputs x outputs of `remaining` (the synapses no cluster has claimed yet).
// Each round embeds what is left and splits it into k groups: a group that fits is taken if dense
// enough, a group too big is clustered recursively (ours: the authors only recurse into groups that
// were already dense, which misses small dense blocks inside a sparse layer). Rounds repeat while
// they find something. Groups are strict subsets of their region, so the recursion ends.
void extract(ConnectivityMask& remaining, const std::vector<int64_t>& inputs, const std::vector<int64_t>& outputs,
             const ClusteringOptions& o, std::vector<Cluster>& found) {
  for (int64_t round = 0; round < o.max_rounds; ++round) {
    std::vector<int64_t> in, out;  // live nodes only: isolated ones would break the Laplacian
    std::vector<uint8_t> col_live(outputs.size(), 0);
    for (int64_t i : inputs) {
      bool live = false;
      for (size_t j = 0; j < outputs.size(); ++j)
        if (remaining.at(i, outputs[j])) live = (col_live[j] = 1);
      if (live) in.push_back(i);
    }
    for (size_t j = 0; j < outputs.size(); ++j)
      if (col_live[j]) out.push_back(outputs[j]);
    if (in.empty()) return;
    Cluster whole{in, out, 0, 0};
    if (fits(whole, o)) {
      take(remaining, in, out, o, found);
      return;
    }
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(in.size()), static_cast<Eigen::Index>(out.size()));
    for (size_t i = 0; i < in.size(); ++i)
      for (size_t j = 0; j < out.size(); ++j)
        if (remaining.at(in[i], out[j])) a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = 1;
    // Disconnected parts are clusters already (and would confuse the eigen solver: eigenvalue 1
    // repeats); a connected region is split by k-means on its spectral embedding.
    int64_t groups = 0;
    auto labels = components(a, groups);
    if (groups < 2) {
      // Ours: a region only a little too big is split into as few groups as could fit (at least 2, at
      // most k), so a dense block slightly over the limit is not cut into k fragments.
      groups = std::clamp<int64_t>(parts_needed(whole, o), 2, o.k);
      labels = kmeans(bipartite_spectral_embedding(a, o.eigenvectors), KMeansOptions{groups, o.seed, 100});
    }
    std::vector<std::vector<int64_t>> gi(static_cast<size_t>(groups)), gj(static_cast<size_t>(groups));
    for (size_t i = 0; i < in.size(); ++i) gi[static_cast<size_t>(labels[i])].push_back(in[i]);
    for (size_t j = 0; j < out.size(); ++j) gj[static_cast<size_t>(labels[in.size() + j])].push_back(out[j]);
    const size_t before = found.size();
    for (size_t g = 0; g < gi.size(); ++g) {
      if (gi[g].empty() || gj[g].empty()) continue;
      if (fits(Cluster{gi[g], gj[g], 0, 0}, o)) {
        take(remaining, gi[g], gj[g], o, found);
        continue;
      }
      const Cluster core = peel(remaining, gi[g], gj[g], o);
      if (!take(remaining, core.inputs, core.outputs, o, found)) extract(remaining, gi[g], gj[g], o, found);
    }
    if (found.size() == before) return;
  }
}

std::vector<int64_t> iota(int64_t n) {
  std::vector<int64_t> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = i;
  return v;
}

}  // namespace

std::vector<Cluster> size_constrained_clusters(const ConnectivityMask& mask, const ClusteringOptions& o) {
  validate(o);
  ClusteringOptions r = o;
  if (r.min_synapses == 0) r.min_synapses = r.crossbar;
  ConnectivityMask remaining = mask;
  std::vector<Cluster> found;
  extract(remaining, iota(mask.rows), iota(mask.cols), r, found);
  return found;
}

}  // namespace xbarcut::hw
