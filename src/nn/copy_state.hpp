// Copies one network's state into another of the same structure, in place: weights, biases, batch-norm
// statistics and deletion masks. A resumed run needs it when other objects (a regulariser's targets, a
// caller's handle) already point at the live network's modules, so swapping in the loaded network won't do.
#pragma once
#include "nn/net.hpp"

namespace xbarcut::nn {

// Throws xbarcut::Error when a layer, rank or tensor shape differs.
void copy_state(const Net& from, Net& to);

// A new network of `from`'s structure with a copy of its state (its own parameters, buffers and masks). Every copy
// of a network in xbarcut goes through here (a sweep's starting points, a teacher, a comparison).
Net clone(const Net& from);

}  // namespace xbarcut::nn
