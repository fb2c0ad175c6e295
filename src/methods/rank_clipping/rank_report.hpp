// The ranks and crossbar area of a (partly) factorised network as rank clipping and direct LRA report them.
#pragma once
#include <nlohmann/json.hpp>

#include "hw/network_cost.hpp"
#include "nn/net.hpp"

namespace xbarcut::methods {

// {"ranks": {layer: K}, "full_ranks": {layer: min(N, M)}, "rank_ratios": {layer: K / full},
//  "crossbar_area_ratio", "crossbar_area": {cost summary}} for every layer but the classifier.
nlohmann::json low_rank_report(const nn::Net& net, const hw::HardwareOptions& hw);

}  // namespace xbarcut::methods
