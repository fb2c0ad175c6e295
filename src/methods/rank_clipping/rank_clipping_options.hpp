// Every setting of rank clipping (Group Scissor, Algorithm 2) with its default, validated in one place
// and written into each run's summary.
#pragma once
#include <cstdint>

#include <nlohmann/json.hpp>

#include "methods/rank_clipping/low_rank_approximation.hpp"

namespace xbarcut::methods {

struct RankClippingOptions {
  double eps = 0.03;      // largest relative approximation error of U allowed at a clip (paper, LeNet)
  int64_t interval = 500; // iterations of training between two rank checks (paper: 500 MNIST, 1000 CIFAR)
  LraMethod method = LraMethod::PcaUncentred;
};

// Throws a one-line xbarcut::Error: eps outside (0, 1), interval < 1.
void validate(const RankClippingOptions& o);

nlohmann::json to_json(const RankClippingOptions& o);

}  // namespace xbarcut::methods
