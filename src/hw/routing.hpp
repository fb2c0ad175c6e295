// Routing area between crossbars (Group Scissor, eq. 8): A_r = alpha * N_w^2, N_w the wire count.
// A P x Q crossbar has P input and Q output wires; a wire goes when its row/column group is all zero.
#pragma once
#include <cstdint>
#include <vector>

namespace xbarcut::hw {

// A_r = alpha * wires^2 (arbitrary units: only ratios are meaningful).
double routing_area(int64_t wires, double alpha = 1.0);

// (live / wires)^2: the routing area left after deleting wires. 1 for a matrix without wires.
double routing_area_ratio(int64_t live_wires, int64_t wires);

// live / wires: the "% wires" row of the paper's Table 3.
double live_wire_fraction(int64_t live_wires, int64_t wires);

// The paper's per-network figure: mean over the big matrices of (live fraction)^2.
// Takes live-wire fractions in [0, 1]; 1.0 for an empty list (nothing was big, nothing was cut).
double mean_routing_area_ratio(const std::vector<double>& live_fractions);

// Mean of the live-wire fractions themselves (the paper's "layer-wise routing wires" average).
double mean_live_wire_fraction(const std::vector<double>& live_fractions);

}  // namespace xbarcut::hw
