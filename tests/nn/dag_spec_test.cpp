// A NetSpec as a DAG: layers that name their inputs, add / concat, grouped convs costed block-diagonal, and the
// errors of a graph that does not hold together.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.hpp"
#include "nn/crossbar_view.hpp"
#include "nn/net.hpp"

namespace xbarcut::nn {
namespace {

LayerSpec layer(std::string kind, std::string name, int64_t out = 0, int64_t kernel = 1,
                std::vector<std::string> inputs = {}) {
  LayerSpec l;
  l.kind = std::move(kind);
  l.name = std::move(name);
  l.out = out;
  l.kernel = kernel;
  l.inputs = std::move(inputs);
  return l;
}

// x -> stem -> (a, b) -> concat -> +stem (1x1 projection) -> gap -> flatten -> fc
NetSpec branchy() {
  NetSpec s;
  s.name = "branchy";
  s.input = {1, 8, 8};
  s.classes = 3;
  auto a = layer("conv", "a", 4, 3, {"stem"});
  a.pad = 1;
  auto b = layer("conv", "b", 4, 1, {"stem"});
  s.layers = {layer("conv", "stem", 4, 1),      a, b, layer("concat", "cat", 0, 1, {"a", "b"}),
              layer("conv", "proj", 8, 1, {"stem"}), layer("add", "sum", 0, 1, {"cat", "proj"}),
              layer("relu", "act"),              layer("gap", "pool"), layer("flatten", "flat"),
              layer("linear", "fc", 3)};
  return s;
}

TEST(DagSpec, ShapesFollowTheNamedInputs) {
  const auto shapes = layer_shapes(branchy());
  EXPECT_EQ(shapes[3].c, 8);  // the concat of two 4-channel branches
  EXPECT_EQ(shapes[5].c, 8);
  EXPECT_EQ(shapes.back().c, 3);
  const auto g = layer_geometry(branchy());
  ASSERT_EQ(g.size(), 5u);
  EXPECT_EQ(g[1].rows, 4 * 3 * 3);  // a reads the stem's 4 channels
  EXPECT_EQ(g[4].rows, 8);          // fc reads the pooled 8 channels
}

TEST(DagSpec, ForwardComputesTheGraph) {
  torch::manual_seed(0);
  Net net(branchy());
  net->eval();
  const auto x = torch::randn({2, 1, 8, 8});
  torch::NoGradGuard guard;
  auto conv = [&](const std::string& n, const torch::Tensor& in) { return net->layer(n)->forward(in); };
  const auto stem = conv("stem", x);
  const auto sum = torch::cat({conv("a", stem), conv("b", stem)}, 1) + conv("proj", stem);
  const auto expected = conv("fc", torch::relu(sum).mean({2, 3}));
  EXPECT_TRUE(torch::allclose(net->forward(x), expected, 1e-5, 1e-6));
}

TEST(DagSpec, BadGraphsGiveOneLineErrors) {
  auto s = branchy();
  s.layers[1].inputs = {"nowhere"};
  EXPECT_THROW(layer_shapes(s), Error);
  s = branchy();
  s.layers[2].name = "a";  // twice
  EXPECT_THROW(layer_shapes(s), Error);
  s = branchy();
  s.layers[3].inputs = {"a"};  // a concat of one
  EXPECT_THROW(layer_shapes(s), Error);
  s = branchy();
  s.layers[5].inputs = {"cat", "stem"};  // 8 + 4 channels
  EXPECT_THROW(layer_shapes(s), Error);
  s = branchy();
  s.layers[0].stride = 0;  // never a division by zero
  EXPECT_THROW(layer_shapes(s), Error);
}

TEST(DagSpec, TheJsonKeepsInputsGroupsAndPooling) {
  auto s = branchy();
  s.layers[1].groups = 2;
  s.layers[1].dilation = 2;
  s.layers[1].pad = 2;
  auto pool = layer("maxpool", "mp", 0, 3);
  pool.pad = 1;
  pool.ceil_mode = false;
  s.layers.insert(s.layers.begin() + 1, pool);
  s.layers[2].inputs = {"mp"};
  const auto back = net_spec_from_json(to_json(s));
  EXPECT_EQ(back.layers[2].inputs, std::vector<std::string>{"mp"});
  EXPECT_EQ(back.layers[2].groups, 2);
  EXPECT_EQ(back.layers[2].dilation, 2);
  EXPECT_EQ(back.layers[1].pad, 1);
  EXPECT_FALSE(back.layers[1].ceil_mode);
}

TEST(GroupedConv, CostedAsItsBlockDiagonalMatrix) {
  NetSpec s;
  s.name = "depthwise";
  s.input = {4, 6, 6};
  s.classes = 2;
  auto dw = layer("conv", "dw", 4, 3);
  dw.groups = 4;
  s.layers = {dw, layer("flatten", "flat"), layer("linear", "fc", 2)};
  torch::manual_seed(1);
  Net net(s);
  EXPECT_EQ(net->layer("dw")->matrices()[0].sizes(), (std::vector<int64_t>{9, 4}));  // compact: 9 rows per group
  const auto m = network_matrices(net).front();
  ASSERT_EQ(m.rows, 36);
  ASSERT_EQ(m.cols, 4);
  for (int64_t r = 0; r < 36; ++r)
    for (int64_t c = 0; c < 4; ++c)
      if (r / 9 != c) EXPECT_EQ(m.values[static_cast<size_t>(r * 4 + c)], 0.0f) << r << "," << c;
  EXPECT_NE(m.values[0], 0.0f);
}

}  // namespace
}  // namespace xbarcut::nn
