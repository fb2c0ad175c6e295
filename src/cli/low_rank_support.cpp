// Shared loading and reporting for the low-rank commands.
#include "cli/low_rank_support.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <sstream>

#include "common/error.hpp"
#include "methods/rank_clipping/net_factorisation.hpp"
#include "nn/crossbar_view.hpp"
#include "report/cost_report.hpp"

namespace xbarcut::cli {

std::string base_dataset(const train::Checkpoint& c, const std::string& dataset) {
  return dataset.empty() ? c.info.value("dataset", std::string("fashion-mnist")) : dataset;
}

BaseRun load_base(const std::string& checkpoint, const std::string& dataset, const std::string& data_dir,
                  int threads, const std::function<void(const train::Checkpoint&)>& check) {
  BaseRun b;
  b.ckpt = train::load_checkpoint(checkpoint);
  if (check) check(b.ckpt);
  b.model = b.ckpt.info.value("model", b.ckpt.net->spec().name);
  b.dataset = base_dataset(b.ckpt, dataset);
  setup_threads(threads);
  fmt::print(stderr, "loading {} ...\n", b.dataset);
  b.data = load_data(b.dataset, data_dir, &b.ckpt.input);
  const auto spec = b.ckpt.net->spec();
  if (b.data.input_shape != spec.input || b.data.classes != spec.classes)
    throw Error("checkpoint " + checkpoint + " was made for another input shape than " + b.dataset + "'s");
  if (spec.is_conv_net()) b.ckpt.net->use_channels_last();
  return b;
}

std::map<std::string, int64_t> parse_rank_list(const std::string& text) {
  std::map<std::string, int64_t> ranks;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    const auto eq = item.find('=');
    int64_t rank = 0;
    size_t used = 0;
    try {
      if (eq != std::string::npos) rank = std::stoll(item.substr(eq + 1), &used);
    } catch (const std::logic_error&) {
      used = 0;
    }
    if (eq == std::string::npos || eq == 0 || used == 0 || used != item.size() - eq - 1)
      throw Error("bad --ranks entry '" + item + "': use layer=rank with an integer rank, e.g. conv1=5,fc1=36");
    ranks[item.substr(0, eq)] = rank;
  }
  return ranks;
}

nlohmann::json low_rank_report(const nn::Net& net, const hw::HardwareOptions& hw) {
  nlohmann::json ranks = nlohmann::json::object(), full = nlohmann::json::object(), ratios = nlohmann::json::object();
  for (const auto& name : methods::clippable_layers(net)) {
    const auto w = net->layer(name)->dense_matrix();
    const int64_t full_rank = std::min(w.size(0), w.size(1));
    const int64_t rank = net->layer(name)->factorised() ? net->layer(name)->rank() : full_rank;
    ranks[name] = rank;
    full[name] = full_rank;
    ratios[name] = static_cast<double>(rank) / static_cast<double>(full_rank);
  }
  const auto cost = hw::cost_network(nn::network_matrices(net), nn::original_matrices(net->spec()), hw);
  return {{"ranks", ranks},
          {"full_ranks", full},
          {"rank_ratios", ratios},
          {"crossbar_area_ratio", cost.crossbar_area_ratio},
          {"crossbar_area", report::cost_to_json(cost)["summary"]}};
}

}  // namespace xbarcut::cli
