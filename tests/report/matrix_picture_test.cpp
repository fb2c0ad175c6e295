#include "report/matrix_picture.hpp"

#include <gtest/gtest.h>
#include <stb_image.h>

#include <random>

#include "common/error.hpp"
#include "report_test_util.hpp"

namespace xbarcut::report {
namespace {

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
  const unsigned char* at(int x, int y) const { return &rgb[static_cast<size_t>((y * width + x) * 3)]; }
  bool white(int x, int y) const { return at(x, y)[0] == 255 && at(x, y)[1] == 255 && at(x, y)[2] == 255; }
};

Image load(const std::string& path) {
  Image img;
  int channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &img.width, &img.height, &channels, 3);
  if (data == nullptr) ADD_FAILURE() << "cannot read back " << path;
  if (data != nullptr) {
    img.rgb.assign(data, data + img.width * img.height * 3);
    stbi_image_free(data);
  }
  return img;
}

hw::WeightMatrix dense(const std::string& name, int64_t rows, int64_t cols) {
  hw::WeightMatrix m{name, rows, cols, std::vector<float>(static_cast<size_t>(rows * cols)), 1};
  std::mt19937 gen(1);
  std::uniform_real_distribution<float> w(0.5f, 1.0f);
  for (float& v : m.values) v = w(gen);
  return m;
}

// 100x24 on 50x12 crossbars: a 2x2 grid, drawn at 8 pixels per weight with 1-pixel grid lines.
TEST(MatrixPictureTest, SmallMatrixIsScaledUpWithGridLines) {
  test::ScratchDir dir;
  const hw::WeightMatrix m = dense("w", 100, 24);
  const hw::Tiling t = hw::tile_matrix(100, 24, hw::CrossbarShape{50, 12});
  const PictureSize size = write_matrix_picture(m, t, dir.file("w.png"));
  EXPECT_EQ(size.width, 2 * 12 * 8 + 3);
  EXPECT_EQ(size.height, 2 * 50 * 8 + 3);
  const Image img = load(dir.file("w.png"));
  EXPECT_EQ(img.width, size.width);
  EXPECT_EQ(img.height, size.height);
  EXPECT_FALSE(img.white(0, 0));    // grid line
  EXPECT_FALSE(img.white(5, 5));    // a live weight
  EXPECT_FALSE(img.white(97, 5));   // the middle grid line: 1 + 96
}

// Figure 9's look: a zeroed column group of one tile is a white stripe inside that tile only.
TEST(MatrixPictureTest, DeadColumnGroupIsWhite) {
  test::ScratchDir dir;
  hw::WeightMatrix m = dense("w", 100, 24);
  for (int64_t r = 0; r < 50; ++r) m.values[static_cast<size_t>(r * 24 + 3)] = 0.0f;  // tile (0,0), column 3
  const hw::Tiling t = hw::tile_matrix(100, 24, hw::CrossbarShape{50, 12});
  write_matrix_picture(m, t, dir.file("w.png"));
  const Image img = load(dir.file("w.png"));
  const int x = 1 + 3 * 8 + 4;        // middle of weight column 3
  EXPECT_TRUE(img.white(x, 1 + 10 * 8));
  EXPECT_FALSE(img.white(x, 1 + 400 + 1 + 10 * 8));  // the same column in tile (1,0) is live
}

TEST(MatrixPictureTest, TransposeSwapsTheAxes) {
  test::ScratchDir dir;
  const hw::WeightMatrix m = dense("w", 100, 24);
  const hw::Tiling t = hw::tile_matrix(100, 24, hw::CrossbarShape{50, 12});
  PictureOptions o;
  o.transpose = true;
  const PictureSize size = write_matrix_picture(m, t, dir.file("wt.png"), o);
  EXPECT_EQ(size.width, 2 * 50 * 8 + 3);
  EXPECT_EQ(size.height, 2 * 12 * 8 + 3);
}

TEST(MatrixPictureTest, BigMatrixIsAveragedUnderTheCap) {
  test::ScratchDir dir;
  const hw::WeightMatrix m = dense("big", 4608, 512);
  const hw::Tiling t = hw::tile_matrix(4608, 512, hw::CrossbarShape{});
  PictureOptions o;
  o.max_side = 512;
  const PictureSize size = write_matrix_picture(m, t, dir.file("big.png"), o);
  EXPECT_LE(size.height, 512);
  EXPECT_LE(size.width, 512);
  EXPECT_GT(size.height, 256);  // not shrunk more than needed
  const Image img = load(dir.file("big.png"));
  EXPECT_EQ(img.height, size.height);
  EXPECT_EQ(picture_size(t, o).width, size.width);
}

TEST(MatrixPictureTest, PaddingIsGreyNotWhite) {
  test::ScratchDir dir;
  const hw::WeightMatrix m = dense("p", 67, 10);  // prime rows: 64 + 3 padded to 64
  const hw::Tiling t = hw::tile_matrix(67, 10, hw::CrossbarShape{});
  const PictureSize size = write_matrix_picture(m, t, dir.file("p.png"));
  const Image img = load(dir.file("p.png"));
  EXPECT_EQ(size.height, 2 * 64 * 7 + 3);  // 8 px per weight would pass 1024
  const unsigned char* pad = img.at(img.width / 2, img.height - 3);
  EXPECT_TRUE(pad[0] == pad[1] && pad[1] == pad[2] && pad[0] < 255 && pad[0] > 150);
}

TEST(MatrixPictureTest, WritesOneFilePerMatrixWithValues) {
  test::ScratchDir dir;
  const std::vector<hw::WeightMatrix> net{dense("conv1/u", 25, 5), hw::shape_only("fc", 500, 10)};
  const auto paths = write_matrix_pictures(net, hw::HardwareOptions{}, dir.file("pics"));
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(dir.file("pics/conv1_u.png")));
}

TEST(MatrixPictureTest, Errors) {
  test::ScratchDir dir;
  const hw::Tiling t = hw::tile_matrix(25, 5, hw::CrossbarShape{});
  EXPECT_THROW(write_matrix_picture(hw::shape_only("s", 25, 5), t, dir.file("s.png")), Error);
  EXPECT_THROW(write_matrix_picture(dense("w", 25, 6), t, dir.file("s.png")), Error);
  EXPECT_THROW(write_matrix_picture(dense("w", 25, 5), t, dir.file("no/such/dir/w.png")), Error);
}

}  // namespace
}  // namespace xbarcut::report
