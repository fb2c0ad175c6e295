// PNG pictures of weight matrices on their crossbar grid, in the look of Group Scissor's Figure 9:
// zero weights white, |w| as colour intensity, crossbar tiles outlined so dead rows/columns show.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "hw/network_cost.hpp"
#include "hw/tiling.hpp"
#include "hw/weight_matrix.hpp"

namespace xbarcut::report {

struct PictureOptions {
  int64_t max_side = 1024;   // longest image side in pixels; larger matrices are averaged down
  int64_t max_scale = 8;     // pixels per weight for small matrices, so a 25x12 matrix stays readable
  bool transpose = false;    // Figure 9 plots W^T: one crossbar output per image row
  bool show_padding = true;  // paint zero-padded cells of edge tiles light grey instead of white
};

struct PictureSize {
  int64_t width = 0, height = 0;
};

// Image size the options give this tiling (each tile drawn at its full padded crossbar size,
// one-pixel grid lines around every tile). Throws xbarcut::Error on bad options.
PictureSize picture_size(const hw::Tiling& tiling, const PictureOptions& options = {});

// Writes one matrix as an RGB PNG. Throws xbarcut::Error if the matrix has no values, the tiling
// belongs to another shape, or the file cannot be written.
PictureSize write_matrix_picture(const hw::WeightMatrix& m, const hw::Tiling& tiling, const std::string& path,
                                 const PictureOptions& options = {});

// One "<dir>/<matrix name>.png" per matrix with values, tiled as `hw` says; creates `dir`.
// Returns the paths written; shape-only matrices are skipped.
std::vector<std::string> write_matrix_pictures(const std::vector<hw::WeightMatrix>& matrices,
                                               const hw::HardwareOptions& hw, const std::string& dir,
                                               const PictureOptions& options = {});

}  // namespace xbarcut::report
