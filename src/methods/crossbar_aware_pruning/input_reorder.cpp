// Importance-sorted input channels, applied as a permutation of the producer's outputs.
#include "methods/crossbar_aware_pruning/input_reorder.hpp"

#include <algorithm>
#include <numeric>

#include "common/error.hpp"
#include "nn/batch_norm_fold.hpp"

namespace xbarcut::methods::xbprune {

namespace {

void select_rows(torch::Tensor& t, int64_t dim, const torch::Tensor& index) {
  if (t.defined()) t.set_data(t.detach().index_select(dim, index).contiguous());
}

}  // namespace

void permute_channels(nn::Net& net, size_t producer, size_t consumer, const std::vector<int64_t>& order) {
  torch::NoGradGuard guard;
  auto& layers = net->weight_layers();
  auto p = layers.at(producer), c = layers.at(consumer);
  if (p->factorised() || c->factorised() || p->has_masks() || c->has_masks())
    throw Error("input reorder needs dense, unmasked layers (" + p->spec().name + ", " + c->spec().name + ")");
  const auto index = torch::tensor(order, torch::kLong);
  const int64_t channels = p->spec().out;
  if (static_cast<int64_t>(order.size()) != channels) throw Error("reorder: permutation length differs from channels");
  auto pw = p->weights()[0];
  select_rows(pw, 0, index);
  auto pb = p->bias();
  select_rows(pb, 0, index);
  if (auto bn = net->batch_norm_of(producer)) {
    select_rows(bn->weight, 0, index);
    select_rows(bn->bias, 0, index);
    select_rows(bn->running_mean, 0, index);
    select_rows(bn->running_var, 0, index);
  }
  auto cw = c->weights()[0];
  if (c->spec().kind == "conv") {
    select_rows(cw, 1, index);
  } else {
    // After flatten the inputs are channel-major: channel k owns inputs k*HW .. (k+1)*HW - 1.
    const int64_t hw = c->in_channels() / channels;
    cw.set_data(cw.detach().reshape({cw.size(0), channels, hw}).index_select(1, index).reshape({cw.size(0), -1}).contiguous());
  }
  if (net->channels_last()) net->use_channels_last();
}

std::vector<ChannelOrder> reorder_input_channels(nn::Net& net, const std::vector<size_t>& consumers) {
  const auto spec = net->spec();
  if (spec.has_residual())
    throw Error("--reorder supports plain chains (vgg8, lenet, convnet), not residual nets: a shortcut shares channels");
  std::vector<ChannelOrder> out;
  for (size_t consumer : consumers) {
    if (consumer == 0) continue;  // the first layer reads the image: nothing produces its channels
    const size_t producer = consumer - 1;
    auto c = net->weight_layers().at(consumer);
    const int64_t channels = net->weight_layers()[producer]->spec().out;
    // Importance of input channel k: L2 norm of its rows in the consumer's matrix.
    auto m = c->matrices()[0];
    auto rows_per_channel = m.size(0) / channels;
    auto importance = (m * m).reshape({channels, rows_per_channel * m.size(1)}).sum(1);
    auto acc = importance.accessor<float, 1>();
    std::vector<int64_t> order(static_cast<size_t>(channels));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return acc[a] > acc[b]; });
    permute_channels(net, producer, consumer, order);
    out.push_back({net->weight_layers()[producer]->spec().name, c->spec().name, order});
  }
  return out;
}

}  // namespace xbarcut::methods::xbprune
