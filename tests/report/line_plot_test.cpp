// The PNG line plotter and the rank-clipping figures: image size, series drawn in their colour where the
// data says, and clear errors for nothing to draw.
#include "report/line_plot.hpp"

#include <gtest/gtest.h>
#include <stb_image.h>

#include "common/error.hpp"
#include "report/rank_clipping_plots.hpp"
#include "report_test_util.hpp"

namespace xbarcut::report {
namespace {

struct Loaded {
  int w = 0, h = 0;
  std::vector<unsigned char> rgb;
  int count(Colour c) const {
    int n = 0;
    for (size_t i = 0; i + 2 < rgb.size(); i += 3) n += rgb[i] == c.r && rgb[i + 1] == c.g && rgb[i + 2] == c.b;
    return n;
  }
};

Loaded load(const std::string& path) {
  Loaded img;
  int channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &img.w, &img.h, &channels, 3);
  if (!data) {
    ADD_FAILURE() << "cannot read back " << path;
    return img;
  }
  img.rgb.assign(data, data + img.w * img.h * 3);
  stbi_image_free(data);
  return img;
}

TEST(LinePlot, DrawsStackedPanelsWithTheSeriesColours) {
  test::ScratchDir dir;
  Plot a{"a", "x", "y", {}};
  Series s;
  s.x = {0, 1, 2};
  s.y = {0, 1, 4};
  s.colour = series_colour(2);
  a.series.push_back(s);
  Plot b = a;
  b.series[0].colour = series_colour(3);
  write_plots({a, b}, dir.file("p.png"), {300, 150});
  auto img = load(dir.file("p.png"));
  EXPECT_EQ(img.w, 300);
  EXPECT_EQ(img.h, 300);
  EXPECT_GT(img.count(series_colour(2)), 50);
  EXPECT_GT(img.count(series_colour(3)), 50);
  EXPECT_EQ(img.count(series_colour(4)), 0);
}

TEST(LinePlot, RejectsEmptyOrRaggedInput) {
  test::ScratchDir dir;
  EXPECT_THROW(write_plots({}, dir.file("e.png")), Error);
  Plot p{"p", "x", "y", {}};
  EXPECT_THROW(write_plots({p}, dir.file("e.png")), Error);
  Series s;
  s.x = {1, 2};
  s.y = {1};
  p.series.push_back(s);
  EXPECT_THROW(write_plots({p}, dir.file("e.png")), Error);
  EXPECT_EQ(text_width("abc"), 18);
}

TEST(RankClippingPlots, WritesBothFigures) {
  test::ScratchDir dir;
  std::vector<RankHistoryPoint> h = {{0, {{"conv1", 1.0}, {"fc1", 1.0}}, 0.99},
                                     {500, {{"conv1", 0.5}, {"fc1", 0.1}}, 0.985}};
  write_rank_history_plot(h, dir.file("ranks.png"));
  auto img = load(dir.file("ranks.png"));
  EXPECT_EQ(img.h, 800);  // two panels
  EXPECT_GT(img.count(series_colour(0)), 20);  // conv1
  EXPECT_GT(img.count(series_colour(1)), 20);  // fc1 and the accuracy curve
  write_area_error_plot({{0.5, 0.02, 0.01}, {0.2, 0.05, 0.1}}, {{0.1, 0.01, 0.03}}, 0.009, dir.file("area.png"));
  EXPECT_EQ(load(dir.file("area.png")).w, 640);
  EXPECT_THROW(write_rank_history_plot({}, dir.file("x.png")), Error);
  EXPECT_THROW(write_area_error_plot({}, {}, 0.01, dir.file("x.png")), Error);
}

}  // namespace
}  // namespace xbarcut::report
