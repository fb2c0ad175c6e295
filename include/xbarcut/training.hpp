// Networks and training: named models (nn::make_net_spec), datasets as tensors (train::load_data), Caffe's solvers
// (train::default_solver), the trainer, checkpoints and the files of a finished run, the crossbar view of a network.
#pragma once
#include "nn/copy_state.hpp"
#include "nn/crossbar_view.hpp"
#include "nn/net.hpp"
#include "nn/net_spec.hpp"
#include "train/checkpoint.hpp"
#include "train/data.hpp"
#include "train/run_files.hpp"
#include "train/solver_options.hpp"
#include "train/trainer.hpp"
