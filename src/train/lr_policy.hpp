// Caffe's learning-rate policies (solver.cpp GetLearningRate) plus cosine annealing.
#pragma once
#include <cstdint>

#include "train/solver_options.hpp"

namespace xbarcut::train {

double learning_rate(const SolverOptions& o, int64_t iter);

}  // namespace xbarcut::train
