// A minimal raster plotter: axes, ticks, polylines, markers and a legend, with a 5x7 bitmap font.
#include "report/line_plot.hpp"

#include <stb_image_write.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include "common/error.hpp"

namespace xbarcut::report {

namespace {

// 5x7 glyphs, one string per row, '#' = ink. Lower case is drawn as upper case.
const std::map<char, std::array<const char*, 7>>& font() {
  static const std::map<char, std::array<const char*, 7>> f = {
      {'0', {" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "}},
      {'1', {"  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "}},
      {'2', {" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"}},
      {'3', {"#### ", "    #", "    #", " ### ", "    #", "    #", "#### "}},
      {'4', {"   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "}},
      {'5', {"#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "}},
      {'6', {" ### ", "#    ", "#    ", "#### ", "#   #", "#   #", " ### "}},
      {'7', {"#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "}},
      {'8', {" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "}},
      {'9', {" ### ", "#   #", "#   #", " ####", "    #", "    #", " ### "}},
      {'A', {" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"}},
      {'B', {"#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "}},
      {'C', {" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "}},
      {'D', {"#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "}},
      {'E', {"#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"}},
      {'F', {"#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "}},
      {'G', {" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"}},
      {'H', {"#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"}},
      {'I', {" ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "}},
      {'J', {"  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "}},
      {'K', {"#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"}},
      {'L', {"#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"}},
      {'M', {"#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"}},
      {'N', {"#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #"}},
      {'O', {" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "}},
      {'P', {"#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "}},
      {'Q', {" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"}},
      {'R', {"#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"}},
      {'S', {" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "}},
      {'T', {"#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "}},
      {'U', {"#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "}},
      {'V', {"#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "}},
      {'W', {"#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # "}},
      {'X', {"#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"}},
      {'Y', {"#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "}},
      {'Z', {"#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"}},
      {'.', {"     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "}},
      {',', {"     ", "     ", "     ", "     ", " ##  ", "  #  ", " #   "}},
      {'-', {"     ", "     ", "     ", "#####", "     ", "     ", "     "}},
      {'_', {"     ", "     ", "     ", "     ", "     ", "     ", "#####"}},
      {'%', {"##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##"}},
      {':', {"     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     "}},
      {'=', {"     ", "     ", "#####", "     ", "#####", "     ", "     "}},
      {'(', {"   # ", "  #  ", " #   ", " #   ", " #   ", "  #  ", "   # "}},
      {')', {" #   ", "  #  ", "   # ", "   # ", "   # ", "  #  ", " #   "}},
      {'/', {"     ", "    #", "   # ", "  #  ", " #   ", "#    ", "     "}},
      {'+', {"     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     "}},
  };
  return f;
}

constexpr Colour kWhite{255, 255, 255}, kBlack{0, 0, 0}, kGrey{200, 200, 200};

class Canvas {
 public:
  Canvas(int w, int h) : w_(w), h_(h), px_(static_cast<size_t>(w) * h * 3, 255) {}
  void put(int x, int y, Colour c) {
    if (x < 0 || y < 0 || x >= w_ || y >= h_) return;
    const size_t i = (static_cast<size_t>(y) * w_ + x) * 3;
    px_[i] = c.r;
    px_[i + 1] = c.g;
    px_[i + 2] = c.b;
  }
  void line(int x0, int y0, int x1, int y1, Colour c, int thick = 1) {
    // Bresenham, thickened by a square brush.
    const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
      for (int a = 0; a < thick; ++a)
        for (int b = 0; b < thick; ++b) put(x0 + a - thick / 2, y0 + b - thick / 2, c);
      if (x0 == x1 && y0 == y1) break;
      const int e2 = 2 * err;
      if (e2 >= dy) { err += dy; x0 += sx; }
      if (e2 <= dx) { err += dx; y0 += sy; }
    }
  }
  void box(int x, int y, int half, Colour c) {
    for (int a = -half; a <= half; ++a)
      for (int b = -half; b <= half; ++b) put(x + a, y + b, c);
  }
  void text(int x, int y, const std::string& s, Colour c, bool vertical = false) {
    for (size_t i = 0; i < s.size(); ++i) {
      auto it = font().find(static_cast<char>(std::toupper(static_cast<unsigned char>(s[i]))));
      if (it == font().end()) continue;
      for (int r = 0; r < 7; ++r)
        for (int col = 0; col < 5; ++col)
          if (it->second[r][col] == '#') {
            const int off = static_cast<int>(i) * 6;
            if (vertical)
              put(x + r, y - off - col, c);
            else
              put(x + off + col, y + r, c);
          }
    }
  }
  void save(const std::string& path) const {
    if (stbi_write_png(path.c_str(), w_, h_, 3, px_.data(), w_ * 3) == 0)
      throw Error("cannot write picture " + path + "; check that the directory exists and is writable");
  }

 private:
  int w_, h_;
  std::vector<unsigned char> px_;
};

// About five round tick values covering [lo, hi].
std::vector<double> ticks(double lo, double hi) {
  const double raw = (hi - lo) / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> t;
  for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) t.push_back(std::abs(v) < step * 1e-9 ? 0 : v);
  return t;
}

std::string tick_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void range(const Plot& p, bool xaxis, double& lo, double& hi) {
  lo = xaxis ? p.x_lo : p.y_lo;
  hi = xaxis ? p.x_hi : p.y_hi;
  if (lo < hi) return;
  lo = INFINITY;
  hi = -INFINITY;
  for (const auto& s : p.series)
    for (double v : xaxis ? s.x : s.y) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (!(lo <= hi)) lo = 0, hi = 1;
  const double pad = hi > lo ? 0.05 * (hi - lo) : std::max(1e-3, 0.05 * std::abs(hi));
  lo -= pad;
  hi += pad;
}

void draw(Canvas& c, const Plot& p, int top, const PlotOptions& o) {
  const int left = 62, right = o.width - 16, plot_top = top + 26, bottom = top + o.height - 40;
  double x0, x1, y0, y1;
  range(p, true, x0, x1);
  range(p, false, y0, y1);
  auto X = [&](double v) { return left + static_cast<int>(std::lround((v - x0) / (x1 - x0) * (right - left))); };
  auto Y = [&](double v) { return bottom - static_cast<int>(std::lround((v - y0) / (y1 - y0) * (bottom - plot_top))); };
  c.text(left, top + 8, p.title, kBlack);
  for (double t : ticks(y0, y1)) {
    c.line(left, Y(t), right, Y(t), kGrey);
    const auto s = tick_label(t);
    c.text(left - 4 - text_width(s), Y(t) - 3, s, kBlack);
  }
  for (double t : ticks(x0, x1)) {
    c.line(X(t), bottom, X(t), bottom + 4, kBlack);
    const auto s = tick_label(t);
    c.text(X(t) - text_width(s) / 2, bottom + 8, s, kBlack);
  }
  c.line(left, plot_top, left, bottom, kBlack);
  c.line(left, bottom, right, bottom, kBlack);
  c.text(left + (right - left - text_width(p.x_label)) / 2, bottom + 22, p.x_label, kBlack);
  c.text(6, (plot_top + bottom) / 2 + text_width(p.y_label) / 2, p.y_label, kBlack, /*vertical=*/true);
  int legend_y = plot_top + 4;
  for (const auto& s : p.series) {
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (s.lines && i > 0) c.line(X(s.x[i - 1]), Y(s.y[i - 1]), X(s.x[i]), Y(s.y[i]), s.colour, 2);
      if (s.markers) c.box(X(s.x[i]), Y(s.y[i]), 2, s.colour);
    }
    if (!s.label.empty()) {
      const int lx = right - text_width(s.label) - 26;
      c.line(lx, legend_y + 3, lx + 16, legend_y + 3, s.colour, 3);
      c.text(lx + 22, legend_y, s.label, kBlack);
      legend_y += 11;
    }
  }
}

}  // namespace

Colour series_colour(size_t i) {
  static const Colour palette[] = {{31, 90, 200}, {210, 40, 40}, {30, 150, 60}, {230, 140, 0},
                                   {130, 60, 170}, {0, 160, 170}, {120, 120, 120}};
  return palette[i % (sizeof palette / sizeof palette[0])];
}

int text_width(const std::string& text) { return static_cast<int>(text.size()) * 6; }

void write_plots(const std::vector<Plot>& plots, const std::string& path, const PlotOptions& options) {
  if (plots.empty()) throw Error("nothing to plot for " + path);
  if (options.width < 200 || options.height < 120) throw Error("plot size must be at least 200 x 120 pixels");
  for (const auto& p : plots) {
    if (p.series.empty()) throw Error("plot '" + p.title + "' has no series");
    for (const auto& s : p.series)
      if (s.x.size() != s.y.size()) throw Error("series '" + s.label + "' has different numbers of x and y values");
  }
  Canvas c(options.width, options.height * static_cast<int>(plots.size()));
  for (size_t i = 0; i < plots.size(); ++i) draw(c, plots[i], static_cast<int>(i) * options.height, options);
  c.save(path);
}

}  // namespace xbarcut::report
