// A layer's binary connectivity (which synapses exist), rows = inputs, cols = outputs like WeightMatrix.
// Clustering and cluster mapping work on this, never on weight values.
#pragma once
#include <cstdint>
#include <vector>

#include "hw/weight_matrix.hpp"

namespace xbarcut::hw {

struct ConnectivityMask {
  int64_t rows = 0, cols = 0;
  std::vector<uint8_t> bits;  // row-major rows x cols, 1 = synapse present

  ConnectivityMask() = default;
  ConnectivityMask(int64_t r, int64_t c) : rows(r), cols(c), bits(static_cast<size_t>(r * c), 0) {}
  bool at(int64_t r, int64_t c) const { return bits[static_cast<size_t>(r * cols + c)] != 0; }
  void set(int64_t r, int64_t c, bool on) { bits[static_cast<size_t>(r * cols + c)] = on ? 1 : 0; }
  int64_t count() const;
  double density() const { return rows && cols ? static_cast<double>(count()) / static_cast<double>(rows * cols) : 0; }
};

// Synapses in the block inputs x outputs (indices into the mask).
int64_t count_block(const ConnectivityMask& mask, const std::vector<int64_t>& inputs,
                    const std::vector<int64_t>& outputs);

}  // namespace xbarcut::hw
