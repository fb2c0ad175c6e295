// The one report of a multi-step run (`xbarcut scissor`): a Markdown page with a table of the steps
// (accuracy, crossbar and routing area, each step's command), the ranks before and after rank clipping
// (Group Scissor's Table 1), and the final network's per-matrix hardware (Table 3); and the same as JSON.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/network_cost.hpp"

namespace xbarcut::report {

struct PipelineStepResult {
  std::string name;         // train, clip, delete
  nlohmann::json summary;   // the step's summary.json (null when the step was not run)
  std::string directory;    // where it wrote its files
};

struct LayerRank {
  std::string name;
  int64_t full_rank = 0;  // min(rows, cols) of the unfactorised matrix
  int64_t rank = 0;       // 0 when the layer is dense
};

struct PipelineReport {
  std::string title;
  std::string config;  // config file and overrides, as given
  std::vector<PipelineStepResult> steps;
  std::vector<LayerRank> ranks;
  hw::NetworkCost final_cost;
  std::vector<std::string> pictures;  // relative to the report's folder
  nlohmann::json machine;
};

std::string pipeline_markdown(const PipelineReport& r);
nlohmann::json pipeline_json(const PipelineReport& r);

}  // namespace xbarcut::report
