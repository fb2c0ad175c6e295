#include "hw/connectivity_mask.hpp"

#include <cmath>

namespace xbarcut::hw {

int64_t ConnectivityMask::count() const {
  int64_t n = 0;
  for (uint8_t b : bits) n += b;
  return n;
}

int64_t count_block(const ConnectivityMask& mask, const std::vector<int64_t>& inputs,
                    const std::vector<int64_t>& outputs) {
  int64_t n = 0;
  for (int64_t r : inputs)
    for (int64_t c : outputs) n += mask.at(r, c);
  return n;
}

}  // namespace xbarcut::hw
