#include "methods/trannsformer/trannsformer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/core.h>

#include "common/error.hpp"
#include "methods/magnitude_pruning/magnitude_pruning.hpp"

namespace xbarcut::methods {

int64_t phase_epoch(double share, int64_t epochs) {
  return std::max<int64_t>(1, static_cast<int64_t>(std::llround(share * static_cast<double>(epochs))));
}

double threshold_step(double ramp, int64_t epochs) {
  return 1.0 / static_cast<double>(phase_epoch(ramp, epochs));
}

hw::ClusteringOptions clustering_options(const TrannsformerOptions& o, int64_t xbar, double quality) {
  hw::ClusteringOptions co;
  co.crossbar = xbar;
  co.size_factor = o.size_factor;
  co.one_crossbar = o.one_crossbar;
  co.min_synapses =
      std::max<int64_t>(o.min_synapses, static_cast<int64_t>(std::ceil(o.min_utilisation * static_cast<double>(xbar * xbar))));
  co.quality = quality;
  co.seed = o.seed;
  return co;
}

hw::ConnectivityMask cluster_blocks(const std::vector<hw::Cluster>& clusters, int64_t rows, int64_t cols) {
  hw::ConnectivityMask m(rows, cols);
  for (const hw::Cluster& c : clusters)
    for (int64_t i : c.inputs)
      for (int64_t j : c.outputs) m.set(i, j, true);
  return m;
}

Trannsformer::Trannsformer(nn::Net net, TrannsformerOptions options, int64_t epochs)
    : net_(std::move(net)), o_(std::move(options)), epochs_(epochs) {
  validate(o_);
  if (epochs_ < 2) throw Error("TraNNsformer needs at least 2 epochs (one to transform, one to retrain)");
  for (auto& layer : net_->weight_layers()) {
    const auto& spec = layer->spec();
    // Default: every hidden fully connected layer; the classifier stays dense unless asked for (its
    // 10 outputs make poor clusters and it holds a few percent of the crossbars).
    const bool wanted = o_.layers.empty()
                            ? spec.kind == "linear" && !net_->is_classifier(spec.name)
                            : std::find(o_.layers.begin(), o_.layers.end(), spec.name) != o_.layers.end();
    if (!wanted) continue;
    if (spec.kind != "linear")
      throw Error("TraNNsformer transforms fully connected layers; " + spec.name + " is a " + spec.kind + " layer");
    if (layer->factorised()) throw Error("layer " + spec.name + " is factorised; TraNNsformer needs dense layers");
    names_.push_back(spec.name);
    state_.push_back(LayerState{spec.name, sparsity_threshold(layer, o_.prune_max), net_->is_classifier(spec.name), {}});
  }
  for (const auto& name : o_.layers)
    if (std::find(names_.begin(), names_.end(), name) == names_.end()) net_->layer(name);  // throws for unknown
  if (names_.empty()) throw Error("the network has no fully connected layer to transform");
  for (auto& layer : net_->weight_layers())
    if (std::find(names_.begin(), names_.end(), layer->spec().name) != names_.end() && !layer->has_masks())
      layer->set_matrix_masks({torch::ones_like(layer->matrices().at(0))});
}

const std::vector<hw::Cluster>& Trannsformer::clusters(const std::string& layer) const {
  for (const auto& s : state_)
    if (s.name == layer) return s.clusters;
  throw Error("layer " + layer + " is not transformed");
}

void Trannsformer::end_of_epoch(int64_t epoch, double training_error) {
  // The threshold rises only while training still improves (the authors' accuracy-driven pruning).
  if (training_error < prev_error_)
    level_ = std::min(1.0, level_ + threshold_step(o_.threshold_ramp, epochs_));
  prev_error_ = training_error;
  const int64_t cs = phase_epoch(o_.cluster_start, epochs_), cps = phase_epoch(o_.cluster_prune_start, epochs_);
  const bool clustering = epoch >= cs, pruning_clusters = epoch >= cps;
  const double t = cps > cs ? std::clamp(static_cast<double>(epoch - cs) / static_cast<double>(cps - cs), 0.0, 1.0) : 1.0;
  const double quality = o_.quality_max + (o_.quality_min - o_.quality_max) * t;
  const double prune_factor = pruning_clusters ? o_.cluster_prune_step * static_cast<double>(epoch - cps + 1) : 0.0;

  nlohmann::json step{{"epoch", epoch},
                      {"training_error", training_error},
                      {"threshold_level", level_},
                      {"phase", pruning_clusters ? "cluster-prune" : clustering ? "cluster" : "prune"},
                      {"quality", clustering ? quality : 0.0},
                      {"layers", nlohmann::json::object()}};
  double seconds = 0;
  for (LayerState& s : state_) {
    nn::WeightLayer layer = net_->layer(s.name);
    const double threshold = level_ * s.top * (s.classifier ? o_.classifier_threshold_factor : 1.0);
    const hw::ConnectivityMask pmap = magnitude_mask(layer, threshold);
    hw::ConnectivityMask mask = pmap;
    if (clustering) {
      const auto t0 = std::chrono::steady_clock::now();
      // New clusters come from what no kept cluster covers yet.
      hw::ConnectivityMask residual = pmap;
      const hw::ConnectivityMask covered = cluster_blocks(s.clusters, pmap.rows, pmap.cols);
      for (size_t i = 0; i < residual.bits.size(); ++i) residual.bits[i] &= static_cast<uint8_t>(!covered.bits[i]);
      const hw::ClusteringOptions co = clustering_options(o_, o_.xbar, quality);
      for (hw::Cluster& c : hw::size_constrained_clusters(residual, co)) s.clusters.push_back(std::move(c));
      if (pruning_clusters && !s.clusters.empty()) {
        // Score = density x synapses of what survives magnitude pruning in the block (the authors' c_score).
        std::vector<double> score;
        hw::ConnectivityMask claimed(pmap.rows, pmap.cols);
        for (const hw::Cluster& c : s.clusters) {
          int64_t syn = 0;
          for (int64_t i : c.inputs)
            for (int64_t j : c.outputs)
              if (pmap.at(i, j) && !claimed.at(i, j)) {
                claimed.set(i, j, true);
                ++syn;
              }
          const double q = static_cast<double>(syn) / static_cast<double>(c.inputs.size() * c.outputs.size());
          score.push_back(q * static_cast<double>(syn));
        }
        const double cut = prune_factor * *std::max_element(score.begin(), score.end());
        std::vector<hw::Cluster> kept;
        for (size_t k = 0; k < s.clusters.size(); ++k)
          if (score[k] > cut) kept.push_back(std::move(s.clusters[k]));
        s.clusters = std::move(kept);
      }
      const hw::ConnectivityMask blocks = cluster_blocks(s.clusters, pmap.rows, pmap.cols);
      for (size_t i = 0; i < mask.bits.size(); ++i) {
        const bool outside_pruned = pruning_clusters && o_.prune_residual;
        mask.bits[i] = static_cast<uint8_t>(blocks.bits[i] || (!outside_pruned && pmap.bits[i]));
      }
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    if (mask.density() == 0.0)
      throw Error(fmt::format(
          "trannsform: epoch {} left {} with no live weight ({} cluster kept at quality {:.2f} and the residual "
          "pruned): the network would be cut in two; nothing written. Start from a trained network (--checkpoint), "
          "let clusters form (lower --quality-min or --min-utilisation, a later --cluster-prune-start, more "
          "--epochs) or keep the residual (--keep-residual)",
          epoch, s.name, s.clusters.size(), quality));
    set_mask(layer, mask);
    step["layers"][s.name] = {{"density", mask.density()}, {"clusters", s.clusters.size()}};
  }
  cluster_seconds_ += seconds;
  step["clustering_seconds"] = seconds;
  std::string line;
  for (const auto& s : state_)
    line += fmt::format("  {} density {:.3f} clusters {}", s.name, step["layers"][s.name]["density"].get<double>(),
                        s.clusters.size());
  fmt::print(stderr, "trannsformer epoch {} [{}] threshold {:.2f} of top, quality {:.2f}, {:.1f} s clustering:{}\n", epoch,
             step["phase"].get<std::string>(), level_, clustering ? quality : 0.0, seconds, line);
  history_.push_back(std::move(step));
}

}  // namespace xbarcut::methods
