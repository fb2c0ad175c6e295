// The rank-clipping figures of Group Scissor: rank ratio per layer and test accuracy against iteration
// (Figure 3), and crossbar area against test error for a sweep of eps (Figure 7).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace xbarcut::report {

struct RankHistoryPoint {
  int64_t iter = 0;
  std::map<std::string, double> rank_ratio;  // layer -> rank / full rank
  double accuracy = 0;
};

// Two panels: rank ratio per layer (%), test accuracy (%), both against iteration.
void write_rank_history_plot(const std::vector<RankHistoryPoint>& history, const std::string& path);

struct AreaErrorPoint {
  double area_ratio = 1;  // crossbar area / original
  double error = 0;       // test error (1 - accuracy)
  double eps = 0;
};

// Area (%) against test error (%): direct LRA and rank clipping series, the baseline error as a line.
void write_area_error_plot(const std::vector<AreaErrorPoint>& direct_lra, const std::vector<AreaErrorPoint>& clipped,
                           double baseline_error, const std::string& path);

}  // namespace xbarcut::report
