#include "hw/rank_check.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace xbarcut::hw {

namespace {

void check_shape(int64_t n, int64_t m) {
  if (n <= 0 || m <= 0) {
    throw Error("matrix shape " + std::to_string(n) + "x" + std::to_string(m) +
                " is not positive; a layer has at least one input and one output");
  }
}

}  // namespace

bool low_rank_saves_area(int64_t n, int64_t m, int64_t k) {
  check_shape(n, m);
  return k * (n + m) < n * m;
}

int64_t max_area_saving_rank(int64_t n, int64_t m) {
  check_shape(n, m);
  return (n * m - 1) / (n + m);  // largest K with K (N + M) <= N M - 1
}

void validate_rank(int64_t n, int64_t m, int64_t k, const std::string& what) {
  check_shape(n, m);
  const int64_t full = std::min(n, m);
  if (k < 1 || k > full) {
    throw Error("rank " + std::to_string(k) + " for " + what + " (" + std::to_string(n) + "x" +
                std::to_string(m) + ") is out of range; use a rank between 1 and " + std::to_string(full));
  }
}

}  // namespace xbarcut::hw
