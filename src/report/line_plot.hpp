// Small line and scatter plots as PNG (stb), for the figures the methods draw (ranks against iteration,
// area against error). Axes with ticks and labels in a built-in 5x7 pixel font; no other dependency.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace xbarcut::report {

struct Colour {
  unsigned char r, g, b;
};

// A palette of well-separated colours for series i = 0, 1, ...
Colour series_colour(size_t i);

struct Series {
  std::string label;
  std::vector<double> x, y;
  Colour colour{31, 90, 200};
  bool lines = true;    // join the points
  bool markers = true;  // draw a small square at every point
};

struct Plot {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  // Axis ranges; when lo >= hi the range is taken from the data (with a margin).
  double x_lo = 0, x_hi = 0, y_lo = 0, y_hi = 0;
};

struct PlotOptions {
  int width = 640, height = 400;
};

// Draws `plots` stacked vertically, each options.height high, into one RGB PNG. Throws xbarcut::Error when
// there is nothing to draw, a series' x and y differ in length, or the file cannot be written.
void write_plots(const std::vector<Plot>& plots, const std::string& path, const PlotOptions& options = {});

// Pixel width of `text` in the built-in font (6 px per character); for layout and tests.
int text_width(const std::string& text);

}  // namespace xbarcut::report
