#include "hw/connectivity_mask.hpp"

#include <cmath>

namespace xbarcut::hw {

int64_t ConnectivityMask::count() const {
  int64_t n = 0;
  for (uint8_t b : bits) n += b;
  return n;
}

ConnectivityMask mask_of(const WeightMatrix& m, double zero_threshold) {
  validate(m);
  ConnectivityMask mask(m.rows, m.cols);
  if (!m.has_values()) {
    std::fill(mask.bits.begin(), mask.bits.end(), 1);
    return mask;
  }
  for (size_t i = 0; i < m.values.size(); ++i) mask.bits[i] = std::fabs(m.values[i]) > zero_threshold ? 1 : 0;
  return mask;
}

int64_t count_block(const ConnectivityMask& mask, const std::vector<int64_t>& inputs,
                    const std::vector<int64_t>& outputs) {
  int64_t n = 0;
  for (int64_t r : inputs)
    for (int64_t c : outputs) n += mask.at(r, c);
  return n;
}

}  // namespace xbarcut::hw
