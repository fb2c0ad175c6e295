#include "methods/group_deletion/lambda_sweep.hpp"

#include <fmt/core.h>

#include "nn/crossbar_view.hpp"
#include "report/cost_report.hpp"
#include "report/json_file.hpp"
#include "report/wires_plot.hpp"
#include "train/resume_point.hpp"
#include "train/run_files.hpp"

namespace xbarcut::methods {

GroupDeletionOptions with_checkpoints(GroupDeletionOptions o, const std::filesystem::path& dir, const RunLabels& l) {
  o.checkpoint_path = (dir / "checkpoint.pt").string();
  o.checkpoint_info = {{"command", "delete"}, {"model", l.model}, {"dataset", l.dataset}, {"from", l.checkpoint},
                       // what a resume must match; the solver's JSON leaves out display and checkpoint intervals
                       {"settings", to_json(o)}};
  return o;
}

nlohmann::json delete_into(const GroupDeletionOptions& o, nn::Net& net, const train::Data& data, const RunLabels& l,
                           const std::filesystem::path& out, const train::Checkpoint* resumed) {
  std::filesystem::create_directories(out);
  const auto result = run_group_deletion(o, net, data.train, data.test, data.input, resumed);
  train::write_model(out.string(), net, data.input, o.iters + o.finetune_iters,
                     {{"command", "delete"}, {"model", l.model}, {"dataset", l.dataset}, {"accuracy", result.accuracy},
                      {"from", l.checkpoint}, {"delete", to_json(o)}});
  if (!o.checkpoint_path.empty()) std::filesystem::remove(o.checkpoint_path);

  auto summary = to_json(result);
  summary.update(l.summary_extra);
  summary["checkpoint"] = l.checkpoint;
  summary["model"] = l.model;
  summary["dataset"] = l.dataset;
  summary["options"] = to_json(o);
  if (resumed) summary["resumed_from"] = {{"phase", resumed->info.at("phase")}, {"iter", resumed->iter}};
  train::write_summary(out.string(), summary);
  summary["machine"] = train::machine_info();
  const auto figures = write_deletion_figures(result, net, o.lasso.hw, out.string());

  fmt::print("{}", report::cost_table(result.cost));
  fmt::print("accuracy {:.4f} (baseline {:.4f}); crossbar area {:.2f}% (empty crossbars removed {:.2f}%, compacted "
             "{:.2f}%); routing area {:.2f}%\n",
             result.accuracy, result.baseline_accuracy, 100 * result.cost.crossbar_area_ratio,
             100 * result.cost.nonempty_area_ratio, 100 * result.cost.compacted_area_ratio,
             100 * result.cost.routing_area_ratio);
  if (result.magnitude)
    fmt::print("magnitude pruning at the same sparsity (no retraining): accuracy {:.4f}, routing area {:.2f}%\n",
               result.magnitude->accuracy, 100 * result.magnitude->cost.routing_area_ratio);
  fmt::print("wrote {}/model.pt, {}/summary.json, {}/live_wires.png and {} matrix pictures in {}/matrices\n",
             out.string(), out.string(), out.string(), figures.size() - 1, out.string());
  return summary;
}

std::string lambda_folder(double lambda) { return fmt::format("lambda_{}", lambda); }

nlohmann::json finished_run(const std::filesystem::path& dir, const GroupDeletionOptions& o, const RunLabels& l) {
  if (!std::filesystem::exists(dir / "model.pt")) return nullptr;
  const auto j = report::read_json_or_null((dir / "summary.json").string());
  if (j.is_null() || j.value("checkpoint", "") != l.checkpoint || j.value("dataset", "") != l.dataset ||
      !j.contains("options") || j["options"] != to_json(o))
    return nullptr;
  return j;
}

std::vector<PlannedRun> plan_runs(const GroupDeletionOptions& o, const std::vector<double>& lambdas,
                                  const std::filesystem::path& out, const RunLabels& labels, bool resume) {
  const bool sweep = lambdas.size() > 1;
  std::vector<PlannedRun> plan;
  for (double lambda : lambdas) {
    PlannedRun p{o, sweep ? out / lambda_folder(lambda) : out, lambda, nullptr, std::nullopt};
    p.options.lasso.lambda = lambda;
    if (sweep) p.finished = finished_run(p.dir, p.options, labels);
    if (p.finished.is_null()) {
      p.options = with_checkpoints(p.options, p.dir, labels);
      p.resumed = train::resume_point(p.options.checkpoint_path, resume, p.options.checkpoint_info);
    }
    plan.push_back(std::move(p));
  }
  return plan;
}

void write_sweep(const std::vector<nlohmann::json>& runs, const std::vector<double>& lambdas,
                 const std::filesystem::path& out, const nlohmann::json& summary_extra) {
  nlohmann::json rows = nlohmann::json::array();
  std::vector<report::RoutingErrorPoint> points;
  const double baseline = runs.front().at("baseline_accuracy").get<double>();
  std::string table = "| lambda | test accuracy | routing area | crossbar area (empty removed) | live wires |\n"
                      "|---|---|---|---|---|\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i];
    nlohmann::json wires = nlohmann::json::object();
    std::string wire_text;
    for (const auto& m : r.at("matrices"))
      if (m.value("regularised", false)) {
        wires[m.at("name").get<std::string>()] = m.at("live_wires_ratio");
        wire_text += fmt::format("{}{} {:.1f} %", wire_text.empty() ? "" : ", ", m.at("name").get<std::string>(),
                                 100 * m.at("live_wires_ratio").get<double>());
      }
    const double acc = r.at("accuracy").get<double>(), routing = r.at("routing_area_ratio").get<double>();
    const double xbars = r.at("crossbar_area_ratio_nonempty").get<double>();
    rows.push_back({{"lambda", lambdas[i]}, {"folder", lambda_folder(lambdas[i])}, {"accuracy", acc},
                    {"lasso_accuracy", r.value("lasso_accuracy", 0.0)}, {"routing_area_ratio", routing},
                    {"crossbar_area_ratio", r.at("crossbar_area_ratio")}, {"crossbar_area_ratio_nonempty", xbars},
                    {"crossbar_area_ratio_compacted", r.at("crossbar_area_ratio_compacted")},
                    {"live_wires_ratio", wires}});
    points.push_back({lambdas[i], 1 - acc, routing, xbars});
    table += fmt::format("| {} | {:.2f} % | {:.2f} % | {:.2f} % | {} |\n", lambdas[i], 100 * acc, 100 * routing,
                         100 * xbars, wire_text);
  }
  nlohmann::json summary{{"baseline_accuracy", baseline}, {"sweep", rows}, {"options", runs.front().at("options")}};
  summary.update(summary_extra);
  summary["options"].erase("lambda");
  train::write_summary(out.string(), summary);
  report::write_routing_error_plot(points, 1 - baseline, (out / "routing_vs_error.png").string());
  fmt::print("\nlambda sweep (baseline accuracy {:.4f}):\n{}wrote {}/summary.json and {}/routing_vs_error.png\n",
             baseline, table, out.string(), out.string());
}

}  // namespace xbarcut::methods
