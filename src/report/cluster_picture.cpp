#include "report/cluster_picture.hpp"

#include <stb_image_write.h>

#include <algorithm>
#include <cmath>

#include "common/error.hpp"

namespace xbarcut::report {

ClusterOrder cluster_order(const hw::ConnectivityMask& mask, const std::vector<hw::Cluster>& clusters) {
  ClusterOrder o;
  std::vector<uint8_t> row_done(static_cast<size_t>(mask.rows), 0), col_done(static_cast<size_t>(mask.cols), 0);
  for (const hw::Cluster& c : clusters) {
    for (int64_t i : c.inputs)
      if (!row_done[static_cast<size_t>(i)]) {
        row_done[static_cast<size_t>(i)] = 1;
        o.rows.push_back(i);
      }
    for (int64_t j : c.outputs)
      if (!col_done[static_cast<size_t>(j)]) {
        col_done[static_cast<size_t>(j)] = 1;
        o.cols.push_back(j);
      }
  }
  for (int64_t i = 0; i < mask.rows; ++i)
    if (!row_done[static_cast<size_t>(i)]) o.rows.push_back(i);
  for (int64_t j = 0; j < mask.cols; ++j)
    if (!col_done[static_cast<size_t>(j)]) o.cols.push_back(j);
  return o;
}

void write_cluster_picture(const hw::ConnectivityMask& mask, const std::vector<hw::Cluster>& clusters,
                           const std::string& path, int64_t max_side) {
  if (max_side < 16) throw Error("cluster picture max_side must be at least 16");
  const ClusterOrder order = cluster_order(mask, clusters);
  const int64_t longest = std::max(mask.rows, mask.cols);
  const int64_t down = std::max<int64_t>(1, (longest + max_side - 1) / max_side);
  const int64_t scale = down == 1 ? std::max<int64_t>(1, max_side / longest) : 1;
  auto px = [&](int64_t n) { return down > 1 ? (n + down - 1) / down : n * scale; };
  const int64_t h = px(mask.rows), w = px(mask.cols);
  std::vector<unsigned char> img(static_cast<size_t>(w * h * 3), 255);
  std::vector<double> dens(static_cast<size_t>(w * h), 0.0), cnt(static_cast<size_t>(w * h), 0.0);
  for (int64_t r = 0; r < mask.rows; ++r) {
    const int64_t y = down > 1 ? r / down : r * scale;
    for (int64_t c = 0; c < mask.cols; ++c) {
      const int64_t x = down > 1 ? c / down : c * scale;
      const size_t k = static_cast<size_t>(y * w + x);
      dens[k] += mask.at(order.rows[static_cast<size_t>(r)], order.cols[static_cast<size_t>(c)]);
      cnt[k] += 1;
    }
  }
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x) {
      const int64_t sy = down > 1 ? y : y - y % scale, sx = down > 1 ? x : x - x % scale;
      const size_t k = static_cast<size_t>(sy * w + sx);
      if (cnt[k] == 0 || dens[k] == 0) continue;
      // Any synapse is clearly visible; denser pixels darker.
      const auto v = static_cast<unsigned char>(std::lround(200.0 - 200.0 * dens[k] / cnt[k]));
      const size_t p = static_cast<size_t>((y * w + x) * 3);
      img[p] = img[p + 1] = img[p + 2] = v;
    }
  // Position of each input / output in the permuted order, to box clusters.
  std::vector<int64_t> row_pos(static_cast<size_t>(mask.rows)), col_pos(static_cast<size_t>(mask.cols));
  for (size_t i = 0; i < order.rows.size(); ++i) row_pos[static_cast<size_t>(order.rows[i])] = static_cast<int64_t>(i);
  for (size_t j = 0; j < order.cols.size(); ++j) col_pos[static_cast<size_t>(order.cols[j])] = static_cast<int64_t>(j);
  auto put = [&](int64_t x, int64_t y) {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    const size_t p = static_cast<size_t>((y * w + x) * 3);
    img[p] = 220;
    img[p + 1] = 30;
    img[p + 2] = 30;
  };
  for (const hw::Cluster& c : clusters) {
    if (c.inputs.empty() || c.outputs.empty()) continue;
    int64_t r0 = mask.rows, r1 = 0, c0 = mask.cols, c1 = 0;
    for (int64_t i : c.inputs) {
      r0 = std::min(r0, row_pos[static_cast<size_t>(i)]);
      r1 = std::max(r1, row_pos[static_cast<size_t>(i)] + 1);
    }
    for (int64_t j : c.outputs) {
      c0 = std::min(c0, col_pos[static_cast<size_t>(j)]);
      c1 = std::max(c1, col_pos[static_cast<size_t>(j)] + 1);
    }
    // A cluster sharing inputs or outputs with an earlier one cannot be one block in any single
    // permutation; a box around its spread-out rows would cover unrelated cells, so it is not drawn.
    if (r1 - r0 != static_cast<int64_t>(c.inputs.size()) || c1 - c0 != static_cast<int64_t>(c.outputs.size())) continue;
    const int64_t y0 = down > 1 ? r0 / down : r0 * scale, y1 = std::max(y0, px(r1) - 1);
    const int64_t x0 = down > 1 ? c0 / down : c0 * scale, x1 = std::max(x0, px(c1) - 1);
    for (int64_t x = x0; x <= x1; ++x) {
      put(x, y0);
      put(x, y1);
    }
    for (int64_t y = y0; y <= y1; ++y) {
      put(x0, y);
      put(x1, y);
    }
  }
  if (stbi_write_png(path.c_str(), static_cast<int>(w), static_cast<int>(h), 3, img.data(), static_cast<int>(w * 3)) == 0)
    throw Error("cannot write picture " + path + "; check that the directory exists and is writable");
}

}  // namespace xbarcut::report
