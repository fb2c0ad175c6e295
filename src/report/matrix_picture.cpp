#include "report/matrix_picture.hpp"

#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <system_error>

#include "common/error.hpp"
#include "report/matrix_file_name.hpp"

namespace xbarcut::report {

namespace {

struct Rgb {
  unsigned char r, g, b;
};

// Figure 9 alternates blue and red blocks so neighbouring crossbars stay distinguishable.
constexpr Rgb kTileColours[2] = {{31, 90, 200}, {210, 40, 40}};
constexpr Rgb kGrid = {70, 70, 70};
constexpr Rgb kPadding = {215, 215, 215};
constexpr Rgb kWhite = {255, 255, 255};

// One image axis: `blocks` tiles of `side` weights each, drawn at `scale` pixels per weight or,
// when `down` > 1, one pixel per `down` weights (averaged), each tile followed by a grid line.
struct Axis {
  std::vector<hw::Block> blocks;
  int64_t side = 0;
  int64_t scale = 1, down = 1;
  bool grid = true;

  int64_t tile_px() const { return down > 1 ? (side + down - 1) / down : side * scale; }
  int64_t lines() const { return grid ? static_cast<int64_t>(blocks.size()) + 1 : 0; }
  int64_t pixels() const { return static_cast<int64_t>(blocks.size()) * tile_px() + lines(); }
  int64_t tile_start(size_t b) const { return (grid ? 1 : 0) + static_cast<int64_t>(b) * (tile_px() + (grid ? 1 : 0)); }
  // Weight offsets inside a tile covered by pixel `px` of that tile: [first, last).
  std::pair<int64_t, int64_t> weights(int64_t px) const {
    if (down > 1) return {px * down, std::min(side, (px + 1) * down)};
    return {px / scale, px / scale + 1};
  }
};

void check(const PictureOptions& o) {
  if (o.max_side < 16 || o.max_scale < 1) {
    throw Error("picture max_side must be at least 16 and max_scale at least 1 (got " +
                std::to_string(o.max_side) + ", " + std::to_string(o.max_scale) + ")");
  }
}

// The largest scale (or smallest averaging) at which both axes fit in max_side.
std::pair<Axis, Axis> layout(const hw::Tiling& t, const PictureOptions& o) {
  check(o);
  Axis vert{o.transpose ? t.col_blocks : t.row_blocks, o.transpose ? t.xbar_cols : t.xbar_rows};
  Axis horiz{o.transpose ? t.row_blocks : t.col_blocks, o.transpose ? t.xbar_rows : t.xbar_cols};
  auto fits = [&] { return vert.pixels() <= o.max_side && horiz.pixels() <= o.max_side; };
  for (int64_t s = o.max_scale; s >= 1; --s) {
    vert.scale = horiz.scale = s;
    if (fits()) return {vert, horiz};
  }
  const int64_t longest = std::max(vert.side, horiz.side);
  for (int64_t d = 2; d <= longest; ++d) {
    vert.down = horiz.down = d;
    if (fits()) return {vert, horiz};
  }
  // So many tiles that even one pixel per tile plus grid lines overflows: drop the grid lines.
  vert.grid = horiz.grid = false;
  for (int64_t d = 1; d <= longest; ++d) {
    vert.down = horiz.down = d;
    if (fits()) return {vert, horiz};
  }
  return {vert, horiz};  // one pixel per tile: as small as a faithful picture gets
}

void put(std::vector<unsigned char>& img, int64_t width, int64_t x, int64_t y, Rgb c) {
  const size_t i = static_cast<size_t>((y * width + x) * 3);
  img[i] = c.r;
  img[i + 1] = c.g;
  img[i + 2] = c.b;
}

}  // namespace

PictureSize picture_size(const hw::Tiling& tiling, const PictureOptions& options) {
  const auto [vert, horiz] = layout(tiling, options);
  return {horiz.pixels(), vert.pixels()};
}

PictureSize write_matrix_picture(const hw::WeightMatrix& m, const hw::Tiling& tiling, const std::string& path,
                                 const PictureOptions& options) {
  hw::validate(m);
  if (!m.has_values()) {
    throw Error("matrix '" + m.name + "' has only a shape; a picture needs its weight values");
  }
  if (tiling.rows != m.rows || tiling.cols != m.cols) {
    throw Error("picture of '" + m.name + "': the tiling is for another shape; tile the matrix itself");
  }
  const auto [vert, horiz] = layout(tiling, options);
  const int64_t width = horiz.pixels(), height = vert.pixels();
  std::vector<unsigned char> img(static_cast<size_t>(width * height * 3), 0);
  std::fill(img.begin(), img.end(), static_cast<unsigned char>(255));
  if (vert.grid) {
    for (int64_t y = 0; y < height; ++y)
      for (size_t b = 0; b <= horiz.blocks.size(); ++b) put(img, width, horiz.tile_start(b) - 1, y, kGrid);
    for (int64_t x = 0; x < width; ++x)
      for (size_t b = 0; b <= vert.blocks.size(); ++b) put(img, width, x, vert.tile_start(b) - 1, kGrid);
  }

  float wmax = 0;
  for (float v : m.values) wmax = std::max(wmax, std::fabs(v));
  const bool tr = options.transpose;
  for (size_t bi = 0; bi < vert.blocks.size(); ++bi) {
    const hw::Block vb = vert.blocks[bi];
    for (size_t bj = 0; bj < horiz.blocks.size(); ++bj) {
      const hw::Block hb = horiz.blocks[bj];
      const Rgb base = kTileColours[(bi + bj) % 2];
      for (int64_t py = 0; py < vert.tile_px(); ++py) {
        const auto [v0, v1] = vert.weights(py);
        for (int64_t px = 0; px < horiz.tile_px(); ++px) {
          const auto [h0, h1] = horiz.weights(px);
          double sum = 0;
          int64_t real = 0;
          for (int64_t a = vb.begin + v0; a < std::min(vb.begin + v1, vb.end); ++a) {
            for (int64_t b = hb.begin + h0; b < std::min(hb.begin + h1, hb.end); ++b) {
              sum += std::fabs(tr ? m.at(b, a) : m.at(a, b));
              ++real;
            }
          }
          Rgb c = kWhite;
          if (real == 0) {
            c = options.show_padding ? kPadding : kWhite;
          } else if (sum > 0 && wmax > 0) {
            // Keep the faintest connection clearly off-white: a surviving group must not look deleted.
            const double t = 0.25 + 0.75 * std::min(1.0, sum / static_cast<double>(real) / wmax);
            auto mix = [t](unsigned char to) {
              return static_cast<unsigned char>(std::lround(255.0 + (to - 255.0) * t));
            };
            c = {mix(base.r), mix(base.g), mix(base.b)};
          }
          put(img, width, horiz.tile_start(bj) + px, vert.tile_start(bi) + py, c);
        }
      }
    }
  }
  if (stbi_write_png(path.c_str(), static_cast<int>(width), static_cast<int>(height), 3, img.data(),
                     static_cast<int>(width * 3)) == 0) {
    throw Error("cannot write picture " + path + "; check that the directory exists and is writable");
  }
  return {width, height};
}

std::vector<std::string> write_matrix_pictures(const std::vector<hw::WeightMatrix>& matrices,
                                               const hw::HardwareOptions& hw, const std::string& dir,
                                               const PictureOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("cannot create picture directory " + dir + ": " + ec.message());
  std::vector<std::string> paths;
  for (const hw::WeightMatrix& m : matrices) {
    if (!m.has_values()) continue;
    const std::string path = (std::filesystem::path(dir) / (matrix_file_name(m.name) + ".png")).string();
    write_matrix_picture(m, hw::tile_matrix(m.rows, m.cols, hw), path, options);
    paths.push_back(path);
  }
  return paths;
}

}  // namespace xbarcut::report
