// Figures 3 and 7 of Group Scissor drawn with the line plotter.
#include "report/rank_clipping_plots.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "report/line_plot.hpp"

namespace xbarcut::report {

void write_rank_history_plot(const std::vector<RankHistoryPoint>& history, const std::string& path) {
  if (history.empty()) throw Error("no rank-clipping history to plot");
  Plot ranks{"rank ratio per layer", "iteration", "rank / full rank (%)", {}, 0, 0, 0, 105};
  std::map<std::string, size_t> index;
  for (const auto& h : history)
    for (const auto& [layer, ratio] : h.rank_ratio) {
      if (!index.count(layer)) {
        index[layer] = ranks.series.size();
        Series s;
        s.label = layer;
        s.colour = series_colour(ranks.series.size());
        ranks.series.push_back(s);
      }
      auto& s = ranks.series[index[layer]];
      s.x.push_back(static_cast<double>(h.iter));
      s.y.push_back(100 * ratio);
    }
  Plot acc{"test accuracy", "iteration", "accuracy (%)", {}};
  Series a;
  a.label = "accuracy";
  a.colour = series_colour(1);
  for (const auto& h : history) {
    a.x.push_back(static_cast<double>(h.iter));
    a.y.push_back(100 * h.accuracy);
  }
  acc.series.push_back(a);
  if (ranks.series.empty()) throw Error("the rank-clipping history names no layers");
  write_plots({ranks, acc}, path);
}

void write_area_error_plot(const std::vector<AreaErrorPoint>& direct_lra, const std::vector<AreaErrorPoint>& clipped,
                           double baseline_error, const std::string& path) {
  Plot p{"crossbar area against test error", "test error (%)", "crossbar area (%)", {}};
  auto add = [&](const std::vector<AreaErrorPoint>& pts, const std::string& label, size_t colour) {
    if (pts.empty()) return;
    auto sorted = pts;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.error < b.error; });
    Series s;
    s.label = label;
    s.colour = series_colour(colour);
    for (const auto& q : sorted) {
      s.x.push_back(100 * q.error);
      s.y.push_back(100 * q.area_ratio);
    }
    p.series.push_back(s);
  };
  add(direct_lra, "direct LRA", 0);
  add(clipped, "rank clipping", 1);
  if (p.series.empty()) throw Error("no points for the area-vs-error picture");
  double top = 0;
  for (const auto& s : p.series)
    for (double y : s.y) top = std::max(top, y);
  Series base;
  base.label = "baseline error";
  base.colour = series_colour(6);
  base.markers = false;
  base.x = {100 * baseline_error, 100 * baseline_error};
  base.y = {0, top};
  p.series.push_back(base);
  write_plots({p}, path);
}

}  // namespace xbarcut::report
