// Every setting of rank clipping (Group Scissor, Algorithm 2) with its default, validated in one place
// and written into each run's summary.
#pragma once
#include <cstdint>

#include <nlohmann/json.hpp>

#include "hw/network_cost.hpp"
#include "methods/rank_clipping/low_rank_approximation.hpp"
#include "train/solver_options.hpp"

namespace xbarcut::methods {

struct RankClippingOptions {
  double eps = 0.03;      // largest relative approximation error of U allowed at a clip (paper, LeNet)
  int64_t interval = 500; // iterations of training between two rank checks (paper: 500 MNIST, 1000 CIFAR)
  LraMethod method = LraMethod::PcaUncentred;
  train::SolverOptions solver;  // the training run (authors_clipping_solver gives the authors' schedule)
  hw::HardwareOptions hw;       // the crossbar model of the reported area

  // Run control, not a setting of the method (to_json leaves it out): checkpoints every solver.checkpoint_every
  // iterations and when stopped; empty = none. `checkpoint_info` is stored in each (what a resume is checked against).
  std::string checkpoint_path;
  nlohmann::json checkpoint_info = nlohmann::json::object();
};

// Throws a one-line xbarcut::Error: eps outside (0, 1), interval < 1, a bad solver or crossbar.
void validate(const RankClippingOptions& o);

nlohmann::json to_json(const RankClippingOptions& o);

}  // namespace xbarcut::methods
