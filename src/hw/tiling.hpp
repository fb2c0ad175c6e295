// How one N x M weight matrix is cut into a grid of crossbars (Group Scissor, section 4).
// The row and column blocks are also the row/column groups of the group-Lasso regulariser.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace xbarcut::hw {

// The largest crossbar the technology allows (the paper: 64 x 64, limited by IR drop).
struct CrossbarShape {
  int64_t rows = 64;
  int64_t cols = 64;
};

// "64x64" -> 64 x 64 (rows x columns); throws a one-line xbarcut::Error naming `xbar` for anything else.
CrossbarShape parse_crossbar(const std::string& text);

// Throws xbarcut::Error unless both sides are positive.
void validate(const CrossbarShape& shape);

enum class TilingPolicy {
  // The paper's library of every size up to the maximum: one exact crossbar when the matrix fits,
  // else the largest size dividing each dimension (max-size padded tiles when that divisor is tiny).
  Divisor,
  // Hardware with a single array size (ISAAC-like): every crossbar is max_rows x max_cols,
  // edge tiles are zero-padded, small matrices included.
  Fixed,
};

// "divisor" or "fixed"; anything else throws xbarcut::Error.
TilingPolicy parse_tiling_policy(const std::string& text);
std::string to_string(TilingPolicy policy);

// Below this fraction of the maximum size a divisor is "degenerate" (a prime dimension gives 1)
// and the Divisor policy falls back to padded max-size tiles along that dimension.
inline constexpr double kDefaultMinDivisorFraction = 0.25;

// A half-open range [begin, end) of matrix rows or columns mapped onto one crossbar row/column block.
struct Block {
  int64_t begin = 0;
  int64_t end = 0;
  int64_t size() const { return end - begin; }
};

struct Tiling {
  int64_t rows = 0, cols = 0;            // the matrix
  int64_t xbar_rows = 0, xbar_cols = 0;  // P x Q: every crossbar of this matrix has this size
  std::vector<Block> row_blocks;         // last block may be shorter than P: the rest is padding
  std::vector<Block> col_blocks;

  int64_t crossbars() const { return static_cast<int64_t>(row_blocks.size() * col_blocks.size()); }
  // Physical cells, padding included: what the crossbar area is counted in.
  int64_t cells() const { return crossbars() * xbar_rows * xbar_cols; }
  bool big() const { return crossbars() > 1; }
  // Tiles are numbered row-block-major: tile t sits at row block t / col_blocks.size().
  int64_t tile_index(size_t row_block, size_t col_block) const {
    return static_cast<int64_t>(row_block * col_blocks.size() + col_block);
  }
};

// Crossbar side for one dimension of length n under the given maximum (exposed for tests and docs).
int64_t tile_side(int64_t n, int64_t max_side, TilingPolicy policy,
                  double min_divisor_fraction = kDefaultMinDivisorFraction);

// Tiles a rows x cols matrix; throws xbarcut::Error on a non-positive shape or crossbar.
Tiling tile_matrix(int64_t rows, int64_t cols, const CrossbarShape& xbar,
                   TilingPolicy policy = TilingPolicy::Divisor,
                   double min_divisor_fraction = kDefaultMinDivisorFraction);

}  // namespace xbarcut::hw
