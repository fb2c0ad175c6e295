#include "methods/collapse_guard.hpp"

#include <fmt/core.h>

#include "common/error.hpp"

namespace xbarcut::methods {

std::vector<std::string> dead_layers(const nn::Net& net) {
  torch::NoGradGuard guard;
  std::vector<std::string> dead;
  for (const auto& layer : net->weight_layers())
    for (const auto& m : layer->matrices())
      if (m.count_nonzero().item<int64_t>() == 0) {
        dead.push_back(layer->spec().name);
        break;
      }
  return dead;
}

int64_t output_classes(const nn::Net& net) {
  const auto& layers = net->weight_layers();
  return layers.empty() ? 0 : layers.back()->matrices().back().size(1);
}

bool at_chance(double accuracy, int64_t classes) {
  return classes > 1 && accuracy <= 1.0 / static_cast<double>(classes) + 0.02;
}

void refuse_collapse(const nn::Net& net, double accuracy, std::optional<double> baseline, int64_t classes,
                     const std::string& method, const std::string& remedy) {
  const auto dead = dead_layers(net);
  if (!dead.empty()) {
    std::string names;
    for (const auto& n : dead) names += (names.empty() ? "" : ", ") + n;
    throw Error(fmt::format("{} left {} with no live weight (test accuracy {:.4f}): the network is cut in two, not "
                            "compressed; nothing written. {}",
                            method, names, accuracy, remedy));
  }
  if (at_chance(accuracy, classes) && !(baseline && at_chance(*baseline, classes)))
    throw Error(fmt::format("{} ended at chance accuracy ({:.4f} for {} classes{}): the network has collapsed; "
                            "nothing written. {}",
                            method, accuracy, classes,
                            baseline ? fmt::format(", from {:.4f}", *baseline) : std::string(", trained from scratch"),
                            remedy));
}

}  // namespace xbarcut::methods
