// Counting crossbars per grain on the folded matrices.
#include "methods/crossbar_aware_pruning/crossbar_count.hpp"

#include "hw/column_packing.hpp"
#include "nn/crossbar_view.hpp"

namespace xbarcut::methods::xbprune {

std::vector<LayerCrossbars> count_crossbars(const nn::Net& net, const hw::HardwareOptions& hardware, Grain grain) {
  std::vector<LayerCrossbars> out;
  for (const auto& m : nn::network_matrices(net)) {
    const auto cost = hw::cost_matrix(m, hardware);
    LayerCrossbars l;
    l.name = m.name;
    l.rows = m.rows;
    l.cols = m.cols;
    l.original = cost.crossbars;
    l.now = grain == Grain::Crossbar ? cost.nonempty_crossbars
                                     : hw::pack_columns(m, cost.tiling, hardware.zero_threshold).count();
    l.nonzero_fraction = static_cast<double>(cost.nonzero_cells) / static_cast<double>(m.rows * m.cols);
    out.push_back(l);
  }
  return out;
}

double crossbar_ratio(const std::vector<LayerCrossbars>& layers) {
  int64_t now = 0, original = 0;
  for (const auto& l : layers) {
    now += l.now;
    original += l.original;
  }
  return original ? static_cast<double>(now) / static_cast<double>(original) : 1.0;
}

}  // namespace xbarcut::methods::xbprune
