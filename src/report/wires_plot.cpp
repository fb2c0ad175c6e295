// A small raster plotter for the live-wire curves: axes, ticks, labelled legend, lines; nothing else.
#include "report/wires_plot.hpp"

#include <stb_image_write.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "common/error.hpp"

namespace xbarcut::report {

namespace {

struct Rgb {
  unsigned char r, g, b;
};

constexpr Rgb kPalette[] = {{31, 90, 200}, {210, 40, 40}, {30, 150, 60}, {230, 140, 0},
                            {140, 60, 180}, {0, 160, 170}, {120, 80, 40}, {200, 60, 150}};
constexpr Rgb kBlack = {0, 0, 0}, kGrey = {200, 200, 200}, kDark = {90, 90, 90};

// 5x7 glyphs, one string per row, '#' = ink. Letters are drawn upper case.
const std::map<char, std::array<const char*, 7>>& font() {
  static const std::map<char, std::array<const char*, 7>> f = {
      {'0', {" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "}},
      {'1', {"  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "}},
      {'2', {" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"}},
      {'3', {"#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "}},
      {'4', {"   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "}},
      {'5', {"#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "}},
      {'6', {"  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "}},
      {'7', {"#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "}},
      {'8', {" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "}},
      {'9', {" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "}},
      {'A', {" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"}},
      {'B', {"#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "}},
      {'C', {" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "}},
      {'D', {"###  ", "#  # ", "#   #", "#   #", "#   #", "#  # ", "###  "}},
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
      {'%', {"##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##"}},
      {'.', {"     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "}},
      {'_', {"     ", "     ", "     ", "     ", "     ", "     ", "#####"}},
      {'-', {"     ", "     ", "     ", "#####", "     ", "     ", "     "}},
      {'(', {"   # ", "  #  ", " #   ", " #   ", " #   ", "  #  ", "   # "}},
      {')', {" #   ", "  #  ", "   # ", "   # ", "   # ", "  #  ", " #   "}},
      {':', {"     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     "}},
      {'/', {"     ", "    #", "   # ", "  #  ", " #   ", "#    ", "     "}},
  };
  return f;
}

class Canvas {
 public:
  Canvas(int w, int h) : w_(w), h_(h), px_(static_cast<size_t>(w * h * 3), 255) {}

  void put(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= w_ || y >= h_) return;
    auto* p = &px_[static_cast<size_t>((y * w_ + x) * 3)];
    p[0] = c.r, p[1] = c.g, p[2] = c.b;
  }
  void rect(int x0, int y0, int x1, int y1, Rgb c) {
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x) put(x, y, c);
  }
  // A two-pixel-wide line (Bresenham); `dash` > 0 leaves gaps every dash pixels.
  void line(int x0, int y0, int x1, int y1, Rgb c, int dash = 0) {
    const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy, step = 0;
    while (true) {
      if (dash == 0 || (step / dash) % 2 == 0) rect(x0, y0, x0 + 1, y0 + 1, c);
      ++step;
      if (x0 == x1 && y0 == y1) break;
      const int e2 = 2 * err;
      if (e2 >= dy) err += dy, x0 += sx;
      if (e2 <= dx) err += dx, y0 += sy;
    }
  }
  void text(int x, int y, const std::string& s, Rgb c) {
    for (char ch : s) {
      auto it = font().find(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
      if (it != font().end())
        for (int r = 0; r < 7; ++r)
          for (int k = 0; k < 5; ++k)
            if (it->second[static_cast<size_t>(r)][k] == '#') put(x + k, y + r, c);
      x += 6;
    }
  }
  void save(const std::string& path) const {
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (!stbi_write_png(path.c_str(), w_, h_, 3, px_.data(), w_ * 3))
      throw Error("cannot write " + path + ": check that its folder exists and is writable");
  }

 private:
  int w_, h_;
  std::vector<unsigned char> px_;
};

int text_px(const std::string& s) { return static_cast<int>(s.size()) * 6; }

// A round tick step giving about `target` ticks over [0, hi].
double tick_step(double hi, int target) {
  const double raw = hi / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

}  // namespace

void write_wires_plot(const WiresPlot& p, const std::string& path) {
  if (p.iters.empty() || p.series.empty()) throw Error("wires plot: nothing to draw (no iterations or no matrices)");
  if (p.width < 200 || p.height < 150) throw Error("wires plot: the picture must be at least 200 x 150 pixels");
  for (const auto& s : p.series)
    if (s.percent.size() != p.iters.size())
      throw Error("wires plot: series " + s.name + " has " + std::to_string(s.percent.size()) + " points for " +
                  std::to_string(p.iters.size()) + " iterations");
  Canvas c(p.width, p.height);
  // Plot area: room for y labels on the left, the legend on the right, title and x labels.
  const int legend_w = 130;
  const int x0 = 48, x1 = p.width - legend_w - 10, y0 = 24, y1 = p.height - 36;
  double x_hi = static_cast<double>(*std::max_element(p.iters.begin(), p.iters.end()));
  for (const auto& [it, acc] : p.accuracy_percent) x_hi = std::max(x_hi, static_cast<double>(it));
  if (x_hi <= 0) x_hi = 1;
  auto px = [&](double iter) { return x0 + static_cast<int>(std::lround((x1 - x0) * iter / x_hi)); };
  auto py = [&](double pct) {
    return y1 - static_cast<int>(std::lround((y1 - y0) * std::clamp(pct, 0.0, 100.0) / 100.0));
  };

  c.text(x0, 8, p.title, kBlack);
  for (int pct = 0; pct <= 100; pct += 25) {
    c.line(x0, py(pct), x1, py(pct), kGrey);
    const auto label = std::to_string(pct) + "%";
    c.text(x0 - 6 - text_px(label), py(pct) - 3, label, kBlack);
  }
  const double step = tick_step(x_hi, 5);
  for (double t = 0; t <= x_hi + 1e-9; t += step) {
    c.line(px(t), y1, px(t), y1 + 4, kBlack);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", t);
    c.text(px(t) - text_px(buf) / 2, y1 + 8, buf, kBlack);
  }
  c.text((x0 + x1) / 2 - text_px("iteration") / 2, y1 + 20, "iteration", kBlack);
  c.line(x0, y0, x0, y1, kBlack);
  c.line(x0, y1, x1, y1, kBlack);
  if (p.deletion_iter >= 0) {
    c.line(px(static_cast<double>(p.deletion_iter)), y0, px(static_cast<double>(p.deletion_iter)), y1, kDark, 4);
    c.text(px(static_cast<double>(p.deletion_iter)) + 4, y0 + 2, "deletion", kDark);
  }

  int ly = y0;
  auto legend = [&](const std::string& label, Rgb colour, bool dashed) {
    c.line(x1 + 12, ly + 3, x1 + 28, ly + 3, colour, dashed ? 3 : 0);
    c.text(x1 + 34, ly, label, kBlack);
    ly += 14;
  };
  for (size_t i = 0; i < p.series.size(); ++i) {
    const Rgb colour = kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
    const auto& s = p.series[i];
    for (size_t k = 1; k < p.iters.size(); ++k)
      c.line(px(static_cast<double>(p.iters[k - 1])), py(s.percent[k - 1]), px(static_cast<double>(p.iters[k])),
             py(s.percent[k]), colour);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s %.1f%%", s.name.c_str(), s.percent.back());
    legend(buf, colour, false);
  }
  if (!p.accuracy_percent.empty()) {
    for (size_t k = 1; k < p.accuracy_percent.size(); ++k)
      c.line(px(static_cast<double>(p.accuracy_percent[k - 1].first)), py(p.accuracy_percent[k - 1].second),
             px(static_cast<double>(p.accuracy_percent[k].first)), py(p.accuracy_percent[k].second), kBlack, 3);
    char buf[64];
    std::snprintf(buf, sizeof buf, "accuracy %.2f%%", p.accuracy_percent.back().second);
    legend(buf, kBlack, true);
  }
  c.save(path);
}

}  // namespace xbarcut::report
