// Markdown and JSON renderings of a multi-step run.
#include "report/pipeline_report.hpp"

#include <fmt/core.h>

#include "report/cost_report.hpp"

namespace xbarcut::report {

namespace {

// A summary field as a percentage, or "-" when the step does not report it.
std::string percent(const nlohmann::json& s, const char* key) {
  if (!s.is_object() || !s.contains(key) || !s[key].is_number()) return "-";
  return fmt::format("{:.2f} %", 100.0 * s[key].get<double>());
}

std::string text(const nlohmann::json& s, const char* key) {
  if (!s.is_object() || !s.contains(key)) return "-";
  return s[key].is_string() ? s[key].get<std::string>() : s[key].dump();
}

}  // namespace

std::string pipeline_markdown(const PipelineReport& r) {
  std::string md = "# " + r.title + "\n\n";
  if (!r.config.empty()) md += "Config: `" + r.config + "`.";
  if (r.machine.is_object())
    md += fmt::format(" Machine: {}.", text(r.machine, "cpu") + ", " + text(r.machine, "hardware_threads") + " hardware threads");
  md += "\n\n## Steps\n\n| step | test accuracy | crossbar area | routing area | time | command |\n"
        "|---|---|---|---|---|---|\n";
  for (const auto& s : r.steps) {
    if (s.summary.is_null()) {
      md += fmt::format("| {} | not run | | | | |\n", s.name);
      continue;
    }
    const std::string secs = s.summary.contains("seconds") && s.summary["seconds"].is_number()
                                 ? fmt::format("{:.0f} s", s.summary["seconds"].get<double>())
                                 : "-";
    md += fmt::format("| {} | {} | {} | {} | {} | `{}` |\n", s.name, percent(s.summary, "accuracy"),
                      percent(s.summary, "crossbar_area_ratio"), percent(s.summary, "routing_area_ratio"), secs,
                      text(s.summary, "command"));
  }
  if (!r.ranks.empty()) {
    md += "\n## Ranks (rank clipping, as Group Scissor's Table 1)\n\n| layer | full rank | rank |\n|---|---|---|\n";
    for (const auto& l : r.ranks)
      md += fmt::format("| {} | {} | {} |\n", l.name, l.full_rank, l.rank > 0 ? std::to_string(l.rank) : "dense");
  }
  md += "\n## Hardware of the final network (as Group Scissor's Table 3)\n\n" + cost_markdown(r.final_cost);
  if (!r.pictures.empty()) {
    md += "\n## Pictures\n\n";
    for (const auto& p : r.pictures) md += fmt::format("![{}]({})\n", p, p);
  }
  return md;
}

nlohmann::json pipeline_json(const PipelineReport& r) {
  nlohmann::json steps = nlohmann::json::object();
  for (const auto& s : r.steps) steps[s.name] = {{"directory", s.directory}, {"summary", s.summary}};
  nlohmann::json ranks = nlohmann::json::object();
  for (const auto& l : r.ranks) ranks[l.name] = {{"full_rank", l.full_rank}, {"rank", l.rank}};
  auto hw = cost_to_json(r.final_cost);
  nlohmann::json last = nlohmann::json::object();
  for (const auto& s : r.steps)
    if (!s.summary.is_null()) last = s.summary;
  return {{"title", r.title},
          {"config", r.config},
          {"accuracy", last.value("accuracy", nlohmann::json())},
          {"baseline_accuracy", r.steps.empty() || r.steps.front().summary.is_null()
                                    ? nlohmann::json()
                                    : r.steps.front().summary.value("accuracy", nlohmann::json())},
          {"steps", steps},
          {"ranks", ranks},
          {"hardware", hw},
          {"pictures", r.pictures},
          {"machine", r.machine}};
}

}  // namespace xbarcut::report
