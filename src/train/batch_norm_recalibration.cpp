// Batch-norm recalibration: cumulative average of batch statistics in train mode, without gradients.
#include "train/batch_norm_recalibration.hpp"

#include "common/error.hpp"

namespace xbarcut::train {

int64_t recalibrate_batch_norms(nn::Net& net, const TensorDataset& train, const RecalibrationOptions& options) {
  if (options.batches < 1 || options.batch < 1) throw Error("batch-norm recalibration needs at least one batch of one image");
  std::vector<torch::nn::BatchNorm2d> bns;  // holders share the modules; the net hands out const ones
  for (const auto& named : net->batch_norms()) bns.push_back(named.second);
  if (bns.empty()) return 0;
  torch::NoGradGuard guard;
  const bool was_training = net->is_training();
  std::vector<c10::optional<double>> momenta;
  for (auto& bn : bns) {
    momenta.push_back(bn->options.momentum());
    bn->reset_running_stats();        // mean 0, var 1, batches tracked 0
    bn->options.momentum(c10::nullopt);  // factor 1/k at the k-th batch: the plain average
  }
  net->eval();  // only the batch norms run in train mode (anything else, e.g. a dropout, stays deterministic)
  for (auto& bn : bns) bn->train();
  BatchStream stream(train, options.batch, options.seed, options.crop_pad, options.flip);
  for (int64_t b = 0; b < options.batches; ++b) net->forward(stream.batch(b).first);
  for (size_t i = 0; i < bns.size(); ++i) bns[i]->options.momentum(momenta[i]);
  if (was_training)
    net->train();
  else
    net->eval();
  return static_cast<int64_t>(bns.size());
}

}  // namespace xbarcut::train
