// Group Scissor's routing figures as PNGs: Figure 5, live routing wires (% of each matrix's wires) against
// iteration, one line per matrix, test accuracy on the same % axis, the deletion point marked; Figure 8, routing
// area against test error for a sweep of lambda. stb only; labels in a 5x7 font.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace xbarcut::report {

struct WiresSeries {
  std::string name;              // the crossbar matrix (fc1_u ...)
  std::vector<double> percent;   // live wires in %, one per iteration of WiresPlot::iters
};

struct WiresPlot {
  std::string title = "live routing wires (%) during group connection deletion";
  std::vector<int64_t> iters;
  std::vector<WiresSeries> series;
  std::vector<std::pair<int64_t, double>> accuracy_percent;  // (iteration, test accuracy in %), may be empty
  int64_t deletion_iter = -1;                                  // dashed vertical line; -1 = none
  int width = 760, height = 440;
};

// Writes the plot as an RGB PNG. Throws xbarcut::Error when there is no series or no iteration, a series
// length differs from iters, the size is below 200 x 150, or the file cannot be written.
void write_wires_plot(const WiresPlot& plot, const std::string& path);

// One group-deletion run of a lambda sweep.
struct RoutingErrorPoint {
  double lambda = 0;
  double error = 0;               // test error, 0..1
  double routing_area_ratio = 1;  // mean over the big matrices
  double crossbar_area_ratio = 1; // empty crossbars removed
};

// Figure 8: routing area and crossbar area (%) against test error (%), points in order of lambda, the baseline
// error as a vertical line. Throws xbarcut::Error when there is no point or the file cannot be written.
void write_routing_error_plot(const std::vector<RoutingErrorPoint>& points, double baseline_error,
                              const std::string& path);

}  // namespace xbarcut::report
