// Figures 5 and 8 drawn with the shared line-plot renderer.
#include "report/wires_plot.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "common/error.hpp"
#include "report/line_plot.hpp"

namespace xbarcut::report {

void write_wires_plot(const WiresPlot& w, const std::string& path) {
  if (w.series.empty()) throw Error("live-wires plot " + path + " has no matrix to draw");
  if (w.iters.empty()) throw Error("live-wires plot " + path + " has no recorded iteration");
  if (w.width < 200 || w.height < 150) throw Error("live-wires plot size must be at least 200 x 150 pixels");
  Plot p;
  p.title = w.title;
  p.x_label = "iteration";
  p.y_label = "%";
  p.y_lo = 0;
  p.y_hi = 100;
  const std::vector<double> x(w.iters.begin(), w.iters.end());
  // Accuracy and the deletion mark first, so the wire curves stay on top where they cross.
  if (!w.accuracy_percent.empty()) {
    Series acc{"test accuracy", {}, {}, {0, 0, 0}, true, true};
    for (const auto& [it, a] : w.accuracy_percent) acc.x.push_back(static_cast<double>(it)), acc.y.push_back(a);
    p.series.push_back(acc);
  }
  if (w.deletion_iter >= 0) {
    const double d = static_cast<double>(w.deletion_iter);
    p.series.push_back({"deletion", {d, d}, {0, 100}, {150, 150, 150}, true, false});
  }
  for (size_t i = 0; i < w.series.size(); ++i) {
    const auto& s = w.series[i];
    if (s.percent.size() != w.iters.size())
      throw Error(fmt::format("live-wires series {} has {} values for {} iterations", s.name, s.percent.size(),
                              w.iters.size()));
    p.series.push_back({s.name + " wires", x, s.percent, series_colour(i), true, false});
  }
  write_plots({p}, path, PlotOptions{w.width, w.height});
}

void write_routing_error_plot(const std::vector<RoutingErrorPoint>& points, double baseline_error,
                              const std::string& path) {
  if (points.empty()) throw Error("routing-vs-error plot " + path + " has no run to draw");
  auto sorted = points;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.lambda < b.lambda; });
  Plot p{"routing and crossbar area against test error (lambda sweep)", "test error (%)", "% of the original", {}};
  Series routing{"routing area", {}, {}, series_colour(0), true, true};
  Series crossbars{"crossbar area, empty removed", {}, {}, series_colour(1), true, true};
  double top = 0;
  for (const auto& q : sorted) {
    routing.x.push_back(100 * q.error), routing.y.push_back(100 * q.routing_area_ratio);
    crossbars.x.push_back(100 * q.error), crossbars.y.push_back(100 * q.crossbar_area_ratio);
    top = std::max({top, 100 * q.routing_area_ratio, 100 * q.crossbar_area_ratio});
  }
  p.y_lo = 0;
  p.y_hi = std::max(1.0, 1.3 * top);  // headroom for the legend, drawn top right
  p.series = {routing, crossbars,
              {"baseline error", {100 * baseline_error, 100 * baseline_error}, {0, p.y_hi}, series_colour(6), true,
               false}};
  write_plots({p}, path);
}

}  // namespace xbarcut::report
