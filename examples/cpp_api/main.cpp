// Group Scissor from C++: train LeNet on Fashion-MNIST, clip its ranks, delete crossbar wires, print the hardware.
// Build against an installed xbarcut (docs/cpp_api.md). Usage: group_scissor_example [ITERATIONS per step]
#include <iostream>
#include <string>

#include <xbarcut/xbarcut.hpp>

namespace xc = xbarcut;

int main(int argc, char** argv) {
  const int64_t iters = argc > 1 ? std::stoll(argv[1]) : 2000;
  auto data = xc::train::load_data("fashion-mnist", "");  // Debian's dataset-fashion-mnist
  torch::manual_seed(1);
  xc::nn::Net net(xc::nn::make_net_spec("lenet", data.input_shape, data.classes));
  auto solver = xc::train::default_solver("lenet");
  solver.max_iter = iters;
  solver.test_interval = 0;
  const auto trained = xc::train::Trainer(net, solver, data.train, data.test, data.input, "").run();

  xc::methods::RankClippingOptions clip;  // eps 0.03, the authors' schedule stretched to `iters`
  clip.interval = iters / 4;
  clip.solver = xc::methods::authors_clipping_solver("lenet", iters);
  const auto clipped = xc::methods::run_rank_clipping(clip, net, data);

  xc::methods::GroupDeletionOptions deletion;  // group Lasso on 64x64 crossbars, then fine-tuning
  deletion.lasso.lambda = 0.002;
  deletion.iters = iters / 2;
  deletion.finetune_iters = iters / 4;
  deletion.solver = xc::train::default_solver("lenet");
  const auto deleted = xc::methods::run_group_deletion(deletion, clipped.net, data.train, data.test, data.input);

  std::cout << xc::report::cost_table(deleted.cost) << "accuracy: trained " << trained.accuracy << ", clipped "
            << clipped.accuracy << ", deleted " << deleted.accuracy << "\n";
}
