// Per-layer flag values as the user types them: "conv1=5,conv2=12" (ranks) or "fc1_u=0.002" (one override).
#pragma once
#include <map>
#include <string>
#include <utility>

namespace xbarcut::cli {

// "conv1=5,conv2=12,fc1=36" -> {conv1: 5, ...}; throws a one-line Error naming `flag` on a malformed entry.
std::map<std::string, int64_t> parse_rank_list(const std::string& text, const std::string& flag = "--ranks");

// "fc1_u=0.002" -> (fc1_u, 0.002); throws a one-line Error naming `flag`.
std::pair<std::string, double> parse_named_number(const std::string& item, const std::string& flag);

}  // namespace xbarcut::cli
