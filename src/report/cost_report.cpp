// Text, Markdown and JSON renderings of hw::NetworkCost.
#include "report/cost_report.hpp"

#include <fmt/core.h>

namespace xbarcut::report {

nlohmann::json cost_to_json(const hw::NetworkCost& cost) {
  nlohmann::json matrices = nlohmann::json::array();
  for (const auto& m : cost.matrices) {
    matrices.push_back({{"name", m.name},
                        {"rows", m.rows},
                        {"cols", m.cols},
                        {"xbar_rows", m.xbar_rows},
                        {"xbar_cols", m.xbar_cols},
                        {"crossbars", m.crossbars},
                        {"nonempty_crossbars", m.nonempty_crossbars},
                        {"cells", m.cells},
                        {"nonzero_cells", m.nonzero_cells},
                        {"compacted_cells", m.compacted_cells},
                        {"utilisation", m.utilisation},
                        {"wires", m.wires},
                        {"live_wires", m.live_wires},
                        {"live_wires_ratio", m.live_wires_ratio},
                        {"routing_area_ratio", m.routing_area_ratio},
                        {"crossbar_area_F2", m.crossbar_area},
                        {"energy_pj", m.energy_pj},
                        {"big", m.big}});
  }
  const auto& t = cost.total;
  nlohmann::json summary{{"crossbars", t.crossbars},
                         {"nonempty_crossbars", t.nonempty_crossbars},
                         {"cells", t.cells},
                         {"original_cells", cost.original.cells},
                         {"wires", t.wires},
                         {"live_wires", t.live_wires},
                         {"crossbar_area_F2", t.crossbar_area},
                         {"energy_pj", t.energy_pj},
                         {"crossbar_area_ratio", cost.crossbar_area_ratio},
                         {"nonempty_area_ratio", cost.nonempty_area_ratio},
                         {"compacted_area_ratio", cost.compacted_area_ratio},
                         {"routing_area_ratio", cost.routing_area_ratio},
                         {"live_wires_mean", cost.live_wires_mean},
                         {"routing_area_total_ratio", cost.routing_area_total_ratio},
                         {"energy_ratio", cost.energy_ratio}};
  return {{"matrices", matrices}, {"summary", summary}};
}

namespace {

std::string shape(int64_t r, int64_t c) { return fmt::format("{}x{}", r, c); }

template <typename Row>
std::string render(const hw::NetworkCost& cost, Row row, const std::string& rule) {
  std::string out = row("matrix", "shape", "crossbar", "xbars", "cells", "live wires", "routing area");
  out += rule;
  for (const auto& m : cost.matrices) {
    out += row(m.name, shape(m.rows, m.cols), shape(m.xbar_rows, m.xbar_cols),
               m.nonempty_crossbars == m.crossbars ? fmt::format("{}", m.crossbars)
                                                   : fmt::format("{}/{}", m.nonempty_crossbars, m.crossbars),
               fmt::format("{}", m.cells), fmt::format("{:.1f} %", 100 * m.live_wires_ratio),
               fmt::format("{:.1f} %", 100 * m.routing_area_ratio));
  }
  return out;
}

std::string totals(const hw::NetworkCost& cost) {
  const auto& t = cost.total;
  return fmt::format(
      "crossbars {} ({} non-empty), cells {} of {} original: crossbar area {:.2f} % "
      "(empty crossbars removed {:.2f} %, tiles compacted {:.2f} %)\n"
      "routing area {:.2f} % (mean over multi-crossbar matrices; live wires {:.2f} %), whole network {:.2f} %; "
      "energy {:.2f} %\n",
      t.crossbars, t.nonempty_crossbars, t.cells, cost.original.cells, 100 * cost.crossbar_area_ratio,
      100 * cost.nonempty_area_ratio, 100 * cost.compacted_area_ratio, 100 * cost.routing_area_ratio,
      100 * cost.live_wires_mean, 100 * cost.routing_area_total_ratio, 100 * cost.energy_ratio);
}

}  // namespace

std::string cost_table(const hw::NetworkCost& cost) {
  auto row = [](auto... cells) {
    const std::string c[] = {cells...};
    return fmt::format("{:<12} {:>10} {:>9} {:>7} {:>9} {:>11} {:>13}\n", c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
  };
  return render(cost, row, std::string(78, '-') + "\n") + totals(cost);
}

std::string cost_markdown(const hw::NetworkCost& cost) {
  auto row = [](auto... cells) {
    std::string out = "|";
    for (const std::string& c : {std::string(cells)...}) out += " " + c + " |";
    return out + "\n";
  };
  return render(cost, row, "|---|---|---|---|---|---|---|\n") + "\n" + totals(cost);
}

}  // namespace xbarcut::report
