#include "cli/named_values.hpp"

#include <sstream>
#include <stdexcept>

#include "common/error.hpp"

namespace xbarcut::cli {

std::map<std::string, int64_t> parse_rank_list(const std::string& text, const std::string& flag) {
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
      throw Error("bad " + flag + " entry '" + item + "': use layer=rank with an integer rank, e.g. conv1=5,fc1=36");
    ranks[item.substr(0, eq)] = rank;
  }
  return ranks;
}

std::pair<std::string, double> parse_named_number(const std::string& item, const std::string& flag) {
  const auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0)
    throw Error("bad " + flag + " '" + item + "': use name=value, e.g. fc1_u=0.002");
  try {
    size_t used = 0;
    const double v = std::stod(item.substr(eq + 1), &used);
    if (used != item.size() - eq - 1) throw std::invalid_argument(item);
    return {item.substr(0, eq), v};
  } catch (const std::logic_error&) {
    throw Error("bad " + flag + " '" + item + "': the value must be a number");
  }
}

}  // namespace xbarcut::cli
