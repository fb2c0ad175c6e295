#include "hw/weight_matrix.hpp"

#include <utility>

#include "common/error.hpp"

namespace xbarcut::hw {

WeightMatrix shape_only(std::string name, int64_t rows, int64_t cols, int64_t uses) {
  WeightMatrix m;
  m.name = std::move(name);
  m.rows = rows;
  m.cols = cols;
  m.uses = uses;
  validate(m);
  return m;
}

void validate(const WeightMatrix& m) {
  const std::string who = "weight matrix '" + m.name + "'";
  if (m.rows <= 0 || m.cols <= 0) {
    throw Error(who + " has shape " + std::to_string(m.rows) + "x" + std::to_string(m.cols) +
                "; rows and columns must be positive");
  }
  if (m.has_values() && static_cast<int64_t>(m.values.size()) != m.rows * m.cols) {
    throw Error(who + " has " + std::to_string(m.values.size()) + " values but shape " +
                std::to_string(m.rows) + "x" + std::to_string(m.cols) +
                "; pass rows*cols values in row-major order, or none for a shape-only matrix");
  }
  if (m.uses < 1) {
    throw Error(who + " has uses = " + std::to_string(m.uses) +
                "; a matrix is read at least once per inference (conv: output pixels)");
  }
}

}  // namespace xbarcut::hw
