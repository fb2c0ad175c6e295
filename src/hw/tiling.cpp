#include "hw/tiling.hpp"

#include <stdexcept>

#include "common/error.hpp"

namespace xbarcut::hw {

CrossbarShape parse_crossbar(const std::string& text) {
  const auto x = text.find_first_of("xX");
  auto fail = [&] { throw Error("bad `xbar` '" + text + "': give rows x columns of the largest crossbar, e.g. 64x64"); };
  if (x == std::string::npos) fail();
  CrossbarShape s;
  try {
    size_t used_r = 0, used_c = 0;
    s.rows = std::stoll(text.substr(0, x), &used_r);
    s.cols = std::stoll(text.substr(x + 1), &used_c);
    if (used_r != x || used_c != text.size() - x - 1) fail();
  } catch (const std::logic_error&) {
    fail();
  }
  if (s.rows <= 0 || s.cols <= 0)
    throw Error("bad `xbar` '" + text + "': a crossbar needs at least one row and one column, e.g. 64x64");
  return s;
}

void validate(const CrossbarShape& shape) {
  if (shape.rows <= 0 || shape.cols <= 0) {
    throw Error("crossbar size " + std::to_string(shape.rows) + "x" + std::to_string(shape.cols) +
                " is not positive; use e.g. 64x64");
  }
}

TilingPolicy parse_tiling_policy(const std::string& text) {
  if (text == "divisor") return TilingPolicy::Divisor;
  if (text == "fixed") return TilingPolicy::Fixed;
  throw Error("unknown tiling policy '" + text + "'; use 'divisor' or 'fixed'");
}

std::string to_string(TilingPolicy policy) {
  return policy == TilingPolicy::Divisor ? "divisor" : "fixed";
}

int64_t tile_side(int64_t n, int64_t max_side, TilingPolicy policy, double min_divisor_fraction) {
  if (policy == TilingPolicy::Fixed) return max_side;
  if (n <= max_side) return n;
  int64_t best = 1;
  for (int64_t p = max_side; p >= 1; --p) {
    if (n % p == 0) {
      best = p;
      break;
    }
  }
  // A prime (or nearly prime) dimension would otherwise need n crossbars of one row each.
  if (static_cast<double>(best) < min_divisor_fraction * static_cast<double>(max_side)) return max_side;
  return best;
}

namespace {

std::vector<Block> blocks(int64_t n, int64_t side) {
  std::vector<Block> out;
  out.reserve(static_cast<size_t>((n + side - 1) / side));
  for (int64_t b = 0; b < n; b += side) out.push_back({b, b + side < n ? b + side : n});
  return out;
}

}  // namespace

Tiling tile_matrix(int64_t rows, int64_t cols, const CrossbarShape& xbar, TilingPolicy policy,
                   double min_divisor_fraction) {
  validate(xbar);
  if (rows <= 0 || cols <= 0) {
    throw Error("cannot tile a " + std::to_string(rows) + "x" + std::to_string(cols) +
                " matrix; rows and columns must be positive");
  }
  Tiling t;
  t.rows = rows;
  t.cols = cols;
  t.xbar_rows = tile_side(rows, xbar.rows, policy, min_divisor_fraction);
  t.xbar_cols = tile_side(cols, xbar.cols, policy, min_divisor_fraction);
  t.row_blocks = blocks(rows, t.xbar_rows);
  t.col_blocks = blocks(cols, t.xbar_cols);
  return t;
}

}  // namespace xbarcut::hw
