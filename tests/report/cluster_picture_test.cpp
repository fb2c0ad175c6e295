// The cluster picture: rows and columns permuted so clusters are blocks, synapses dark, clusters that
// are contiguous boxed in red, an overlapping cluster left unboxed.
#include "report/cluster_picture.hpp"

#include <gtest/gtest.h>
#include <stb_image.h>

#include "report_test_util.hpp"

namespace xbarcut::report {
namespace {

bool red(const unsigned char* p) { return p[0] == 220 && p[1] == 30 && p[2] == 30; }

// 8 x 8 mask with two dense 3 x 3 blocks on scattered rows/columns: {1,4,6} x {0,5,7} and {0,2,3} x {1,2,3}.
hw::ConnectivityMask two_blocks(std::vector<hw::Cluster>& clusters) {
  hw::ConnectivityMask m(8, 8);
  clusters = {hw::Cluster{{1, 4, 6}, {0, 5, 7}, 9, 1.0}, hw::Cluster{{0, 2, 3}, {1, 2, 3}, 9, 1.0}};
  for (const auto& c : clusters)
    for (int64_t i : c.inputs)
      for (int64_t j : c.outputs) m.set(i, j, true);
  return m;
}

TEST(ClusterPictureTest, OrderPutsEachClusterInOneBlock) {
  std::vector<hw::Cluster> clusters;
  const auto m = two_blocks(clusters);
  const ClusterOrder o = cluster_order(m, clusters);
  EXPECT_EQ(o.rows, (std::vector<int64_t>{1, 4, 6, 0, 2, 3, 5, 7}));
  EXPECT_EQ(o.cols, (std::vector<int64_t>{0, 5, 7, 1, 2, 3, 4, 6}));
}

TEST(ClusterPictureTest, ContiguousClustersAreBoxedOverlappingOnesAreNot) {
  test::ScratchDir dir;
  std::vector<hw::Cluster> clusters;
  auto m = two_blocks(clusters);
  // A third cluster reusing input 1 (already placed with the first) and outputs 4, 6: it cannot be a
  // block of this permutation.
  clusters.push_back(hw::Cluster{{1, 5}, {4, 6}, 0, 0.0});
  const std::string path = dir.file("c.png");
  write_cluster_picture(m, clusters, path, 16);  // 8 x 8 cells at 2 pixels each
  int w = 0, h = 0, ch = 0;
  unsigned char* img = stbi_load(path.c_str(), &w, &h, &ch, 3);
  ASSERT_NE(img, nullptr);
  ASSERT_EQ(w, 16);
  ASSERT_EQ(h, 16);
  auto at = [&](int x, int y) { return img + (y * w + x) * 3; };
  EXPECT_TRUE(red(at(0, 0)));    // first cluster: cells 0..2 -> pixels 0..5
  EXPECT_TRUE(red(at(5, 5)));
  EXPECT_TRUE(red(at(6, 6)));    // second cluster: cells 3..5 -> pixels 6..11
  EXPECT_TRUE(red(at(11, 11)));
  EXPECT_FALSE(red(at(12, 12)));  // the third would span into the unclustered corner: not drawn
  EXPECT_FALSE(red(at(15, 0)));
  EXPECT_LT(at(8, 8)[0], 100);    // inside the second block: a synapse, dark
  EXPECT_EQ(at(14, 1)[0], 255);   // outside every block: empty, white
  stbi_image_free(img);
}

}  // namespace
}  // namespace xbarcut::report
