// Validation and JSON of the rank-clipping settings.
#include "methods/rank_clipping/rank_clipping_options.hpp"

#include <fmt/core.h>

#include "common/error.hpp"

namespace xbarcut::methods {

void validate(const RankClippingOptions& o) {
  if (!(o.eps > 0 && o.eps < 1)) throw Error(fmt::format("`eps` must be in (0, 1), got {}", o.eps));
  if (o.interval < 1) throw Error(fmt::format("`interval` must be at least 1 iteration, got {}", o.interval));
  train::validate(o.solver);
  hw::validate(o.hw);
}

nlohmann::json to_json(const RankClippingOptions& o) {
  return {{"eps", o.eps}, {"interval", o.interval}, {"lra", to_string(o.method)}};
}

}  // namespace xbarcut::methods
