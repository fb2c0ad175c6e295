// The live-wires plot (Figure 5): each series is drawn where its percentage says, the legend is written,
// and malformed input is refused with a clear error.
#include "report/wires_plot.hpp"

#include <gtest/gtest.h>
#include <stb_image.h>

#include "common/error.hpp"
#include "report_test_util.hpp"

using namespace xbarcut;

namespace {

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
  bool is(int x, int y, unsigned char r, unsigned char g, unsigned char b) const {
    const auto* p = &rgb[static_cast<size_t>((y * width + x) * 3)];
    return p[0] == r && p[1] == g && p[2] == b;
  }
};

Image load(const std::string& path) {
  Image img;
  int channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &img.width, &img.height, &channels, 3);
  if (data) {
    img.rgb.assign(data, data + img.width * img.height * 3);
    stbi_image_free(data);
  }
  return img;
}

report::WiresPlot two_lines() {
  report::WiresPlot p;
  p.iters = {0, 100, 200};
  p.series = {{"fc1_u", {100, 100, 100}}, {"fc1_v", {50, 50, 50}}};
  p.deletion_iter = 100;
  p.accuracy_percent = {{0, 99.0}, {200, 99.1}};
  return p;
}

}  // namespace

TEST(WiresPlot, DrawsEachSeriesAtItsPercentage) {
  report::test::ScratchDir dir;
  auto p = two_lines();
  report::write_wires_plot(p, dir.file("wires.png"));
  const auto img = load(dir.file("wires.png"));
  ASSERT_EQ(img.width, p.width);
  ASSERT_EQ(img.height, p.height);
  // Plot area rows (line_plot's layout): 100 % at y = 26, 0 % at y = height - 40; 50 % half way.
  const int y100 = 26, y0 = p.height - 40, y50 = y0 - (y0 - y100) / 2, x = 200;
  EXPECT_TRUE(img.is(x, y100, 31, 90, 200)) << "fc1_u (first palette colour) at 100 %";
  EXPECT_TRUE(img.is(x, y50, 210, 40, 40)) << "fc1_v (second palette colour) at 50 %";
  // The legend swatches sit right of the plot area.
  int blue_in_legend = 0;
  for (int xx = p.width - 130; xx < p.width; ++xx)
    for (int yy = 0; yy < 60; ++yy) blue_in_legend += img.is(xx, yy, 31, 90, 200);
  EXPECT_GT(blue_in_legend, 10);
}

TEST(WiresPlot, RefusesMalformedInput) {
  report::test::ScratchDir dir;
  auto p = two_lines();
  p.series[1].percent.pop_back();
  EXPECT_THROW(report::write_wires_plot(p, dir.file("a.png")), Error);
  p = two_lines();
  p.series.clear();
  EXPECT_THROW(report::write_wires_plot(p, dir.file("b.png")), Error);
  p = two_lines();
  p.width = 100;
  EXPECT_THROW(report::write_wires_plot(p, dir.file("c.png")), Error);
  EXPECT_THROW(report::write_wires_plot(two_lines(), "/proc/no/such/dir/x.png"), Error);
}

// Figure 8: the routing-area series lies at its percentage of a 0..(130 % of the highest value) axis, the
// crossbar-area series above it; no point is an error.
TEST(RoutingErrorPlot, DrawsBothAreasAgainstError) {
  report::test::ScratchDir dir;
  const std::vector<report::RoutingErrorPoint> points = {{0.2, 0.03, 0.5, 1.0}, {0.1, 0.01, 0.5, 1.0}};
  report::write_routing_error_plot(points, 0.02, dir.file("sweep.png"));
  const auto img = load(dir.file("sweep.png"));
  ASSERT_EQ(img.width, 640);
  ASSERT_EQ(img.height, 400);
  const int y0 = 400 - 40, ytop = 26, x = 200;
  auto near = [&](double percent, unsigned char r, unsigned char g, unsigned char b) {
    const int y = static_cast<int>(y0 - percent / 130.0 * (y0 - ytop));
    for (int dy = -2; dy <= 2; ++dy)
      if (img.is(x, y + dy, r, g, b)) return true;
    return false;
  };
  EXPECT_TRUE(near(50, 31, 90, 200)) << "routing area (first palette colour) at 50 %";
  EXPECT_TRUE(near(100, 210, 40, 40)) << "crossbar area (second palette colour) at 100 %";
  EXPECT_FALSE(near(50, 210, 40, 40));
  EXPECT_THROW(report::write_routing_error_plot({}, 0.02, dir.file("none.png")), Error);
}
