// TraNNsformer (Ankit et al., ICCAD 2017): clustered pruning of fully connected layers (methods::run_trannsformer)
// and its baseline, magnitude pruning with retraining (methods::run_magnitude_pruning).
#pragma once
#include "methods/magnitude_pruning/run_magnitude_pruning.hpp"
#include "methods/trannsformer/run_trannsformer.hpp"
