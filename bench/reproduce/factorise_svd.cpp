// Reproduction helper, not a product command: factorise a dense checkpoint at given ranks by truncated SVD
// (U = U_K S_K, V^T = V_K^T) and retrain it briefly, to stand in for a rank-clipped network when `xbarcut clip`
// is not at hand. Usage: factorise_svd IN.pt DATASET conv1=5,conv2=12,fc1=36 RETRAIN_ITERS OUT.pt [LR]
#include <fmt/core.h>

#include <sstream>

#include "cli/run_support.hpp"
#include "common/error.hpp"
#include "nn/crossbar_view.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"

using namespace xbarcut;

int main(int argc, char** argv) try {
  if (argc < 6) {
    fmt::print(stderr, "usage: {} IN.pt DATASET layer=rank,... RETRAIN_ITERS OUT.pt [LR]\n", argv[0]);
    return 2;
  }
  auto ckpt = train::load_checkpoint(argv[1]);
  const std::string dataset = argv[2];
  std::stringstream ranks(argv[3]);
  for (std::string item; std::getline(ranks, item, ',');) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) throw Error("bad rank '" + item + "': use layer=rank");
    auto layer = ckpt.net->layer(item.substr(0, eq));
    const int64_t k = std::stoll(item.substr(eq + 1));
    auto w = layer->dense_matrix();
    auto [u, s, vh] = torch::linalg::svd(w, false, c10::nullopt);
    const double kept = s.slice(0, 0, k).square().sum().item<double>() / s.square().sum().item<double>();
    layer->set_matrices({(u.slice(1, 0, k) * s.slice(0, 0, k)).contiguous(), vh.slice(0, 0, k).contiguous()});
    fmt::print(stderr, "{}: {}x{} -> rank {} (energy kept {:.4f})\n", item.substr(0, eq), w.size(0), w.size(1), k, kept);
  }
  cli::setup_threads(0);
  auto data = cli::load_data(dataset, "", &ckpt.input);
  if (ckpt.net->spec().is_conv_net()) ckpt.net->use_channels_last();
  const double direct = train::evaluate(ckpt.net, data.test);
  fmt::print(stderr, "direct low-rank accuracy {:.4f}\n", direct);
  auto options = train::default_solver(ckpt.info.value("model", ckpt.net->spec().name));
  options.max_iter = std::stoll(argv[4]);
  options.lr_policy = "fixed";
  options.base_lr = argc > 6 ? std::stod(argv[6]) : 0.001;
  options.checkpoint_every = 0;
  options.test_interval = 0;
  double acc = direct;
  if (options.max_iter > 0) acc = train::Trainer(ckpt.net, options, data.train, data.test, data.input, "").run().accuracy;
  ckpt.info["accuracy"] = acc;
  ckpt.info["direct_lowrank_accuracy"] = direct;
  ckpt.info["factorised_by"] = fmt::format("factorise_svd {} {} {} {}", argv[1], argv[3], argv[4], options.base_lr);
  train::save_checkpoint(argv[5], ckpt);
  fmt::print("accuracy {:.4f} (direct {:.4f}); wrote {}\n", acc, direct, argv[5]);
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "factorise_svd: error: {}\n", e.what());
  return 2;
}
