// A weight matrix as the crossbar model sees it: N inputs (rows) x M outputs (columns), optional values.
// Layers are unrolled into this form by the caller; the hardware model never sees tensors.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace xbarcut::hw {

struct WeightMatrix {
  std::string name;
  int64_t rows = 0;  // N: crossbar inputs (fc: inputs, conv: C_in * k_h * k_w)
  int64_t cols = 0;  // M: crossbar outputs (fc: outputs, conv: C_out)
  // Row-major rows x cols. Empty means "shape only": every cell then counts as a live non-zero
  // weight, which is how the unpruned original network and rank-only area estimates are costed.
  std::vector<float> values;
  // Reads per inference (a conv layer is read once per output pixel); only energy uses it.
  int64_t uses = 1;

  bool has_values() const { return !values.empty(); }
  float at(int64_t r, int64_t c) const { return values[static_cast<size_t>(r * cols + c)]; }
};

// A matrix known only by its shape (the original network, or a rank-only area estimate).
WeightMatrix shape_only(std::string name, int64_t rows, int64_t cols, int64_t uses = 1);

// Throws xbarcut::Error when the shape is not positive, values do not match it, or uses < 1.
void validate(const WeightMatrix& m);

}  // namespace xbarcut::hw
