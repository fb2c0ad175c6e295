// What `xbarcut clip` and `xbarcut lowrank` share: the base checkpoint with its test data, the ranks and
// crossbar area of a (partly) factorised network as they go into summary.json.
#pragma once
#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/run_support.hpp"
#include "hw/network_cost.hpp"
#include "train/checkpoint.hpp"

namespace xbarcut::cli {

struct BaseRun {
  train::Checkpoint ckpt;
  std::string model, dataset;
  LoadedData data;
};

// The dataset a command on checkpoint `c` uses: `dataset` when given, else the one it was trained on.
std::string base_dataset(const train::Checkpoint& c, const std::string& dataset);

// Loads the checkpoint first (a bad file fails before the data is read), then the dataset it was trained on
// unless `dataset` names another one with the same input shape. `check` runs on the checkpoint before the
// data is read, so a checkpoint unfit for the command fails at once.
BaseRun load_base(const std::string& checkpoint, const std::string& dataset, const std::string& data_dir,
                  int threads, const std::function<void(const train::Checkpoint&)>& check = {});

// "conv1=5,conv2=12,fc1=36" -> {conv1: 5, ...}; throws a one-line Error on a malformed entry.
std::map<std::string, int64_t> parse_rank_list(const std::string& text);

// {"ranks": {layer: K}, "full_ranks": {layer: min(N, M)}, "rank_ratios": {layer: K / full},
//  "crossbar_area_ratio", "crossbar_area": {cost summary}} for every layer but the classifier.
nlohmann::json low_rank_report(const nn::Net& net, const hw::HardwareOptions& hw);

}  // namespace xbarcut::cli
