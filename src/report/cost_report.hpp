// A network's crossbar cost as the user reads it: a per-matrix table with totals (terminal text or
// Markdown) and the JSON layout every command writes ({"matrices": [...], "summary": {...}}).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "hw/network_cost.hpp"

namespace xbarcut::report {

nlohmann::json cost_to_json(const hw::NetworkCost& cost);

// Columns: name, shape, crossbar size, crossbars, cells, live wires %, routing area %; then totals.
std::string cost_table(const hw::NetworkCost& cost);
std::string cost_markdown(const hw::NetworkCost& cost);

}  // namespace xbarcut::report
