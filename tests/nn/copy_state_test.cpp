// nn::copy_state: a network loaded from a checkpoint poured into a live one of the same structure gives the
// same outputs and masks; a network of another structure is refused with an Error.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.hpp"
#include "nn/copy_state.hpp"
#include "nn/net.hpp"

using namespace xbarcut;

namespace {
nn::Net mlp(const std::string& name, uint64_t seed) {
  torch::manual_seed(seed);
  return nn::Net(nn::make_net_spec(name, {1, 8, 8}, 3));
}
}  // namespace

TEST(CopyState, MakesTheSameNetworkMasksIncluded) {
  auto from = mlp("mlp:64-16-3", 1), to = mlp("mlp:64-16-3", 2);
  auto layer = from->weight_layers()[0];
  auto mask = (torch::rand(layer->matrices()[0].sizes()) > 0.5).to(torch::kFloat32);
  layer->set_matrix_masks({mask});
  const auto x = torch::randn({5, 1, 8, 8});
  ASSERT_FALSE(torch::allclose(from->forward(x), to->forward(x)));

  nn::copy_state(from, to);
  EXPECT_TRUE(torch::equal(from->forward(x), to->forward(x)));
  ASSERT_TRUE(to->weight_layers()[0]->has_masks());
  EXPECT_TRUE(torch::equal(to->weight_layers()[0]->matrix_masks()[0], mask));
  EXPECT_FALSE(to->weight_layers()[1]->has_masks());
  // The mask is live in `to`: a weight it deletes stays zero after the next masking.
  to->weight_layers()[0]->weights()[0].data().fill_(1.0);
  to->apply_masks();
  EXPECT_TRUE(torch::equal(to->weight_layers()[0]->matrices()[0], mask));
}

TEST(CopyState, RefusesAnotherStructure) {
  auto to = mlp("mlp:64-16-3", 1);
  EXPECT_THROW(nn::copy_state(mlp("mlp:64-8-3", 1), to), Error);
  EXPECT_THROW(nn::copy_state(mlp("mlp:64-16-16-3", 1), to), Error);
}
