#include "hw/routing.hpp"

#include "common/error.hpp"

namespace xbarcut::hw {

double routing_area(int64_t wires, double alpha) {
  const double w = static_cast<double>(wires);
  return alpha * w * w;
}

double live_wire_fraction(int64_t live_wires, int64_t wires) {
  if (live_wires < 0 || live_wires > wires) {
    throw Error("live wire count " + std::to_string(live_wires) + " is outside [0, " +
                std::to_string(wires) + "]; count live wires among the matrix's own wires");
  }
  return wires == 0 ? 1.0 : static_cast<double>(live_wires) / static_cast<double>(wires);
}

double routing_area_ratio(int64_t live_wires, int64_t wires) {
  const double f = live_wire_fraction(live_wires, wires);
  return f * f;
}

namespace {

void check_fraction(double f) {
  if (!(f >= 0.0 && f <= 1.0)) {
    throw Error("live wire fraction " + std::to_string(f) + " is outside [0, 1]; pass live / total");
  }
}

}  // namespace

double mean_routing_area_ratio(const std::vector<double>& live_fractions) {
  if (live_fractions.empty()) return 1.0;
  double sum = 0.0;
  for (double f : live_fractions) {
    check_fraction(f);
    sum += f * f;
  }
  return sum / static_cast<double>(live_fractions.size());
}

double mean_live_wire_fraction(const std::vector<double>& live_fractions) {
  if (live_fractions.empty()) return 1.0;
  double sum = 0.0;
  for (double f : live_fractions) {
    check_fraction(f);
    sum += f;
  }
  return sum / static_cast<double>(live_fractions.size());
}

}  // namespace xbarcut::hw
