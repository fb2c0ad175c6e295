// Group deletion into an output folder, once or as a lambda sweep (Group Scissor's Figure 8): each run writes
// DIR/model.pt, DIR/summary.json and its pictures; a sweep puts one run per lambda into DIR/lambda_X, reuses the
// finished runs of an earlier sweep with the same settings, and ends with DIR/summary.json over all of them and
// DIR/routing_vs_error.png.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "methods/group_deletion/group_deletion.hpp"
#include "train/data.hpp"

namespace xbarcut::methods {

// What a run's files say about where it came from.
struct RunLabels {
  std::string model, dataset, checkpoint;  // checkpoint: the input model.pt
  nlohmann::json summary_extra = nlohmann::json::object();  // e.g. {"command": the command line}
};

// `o` with the checkpoints of a run into `dir`: DIR/checkpoint.pt, and what a later resume is checked against.
GroupDeletionOptions with_checkpoints(GroupDeletionOptions o, const std::filesystem::path& dir, const RunLabels& labels);

// One run of `net` (modified in place) into `dir`, continuing `resumed` when given; prints the hardware table and
// returns the run's summary. DIR/checkpoint.pt holds the run while it trains and is removed once model.pt is written.
nlohmann::json delete_into(const GroupDeletionOptions& o, nn::Net& net, const train::Data& data, const RunLabels& labels,
                           const std::filesystem::path& dir, const train::Checkpoint* resumed);

// One run of a deletion command: its options (with checkpoints into `dir`), and what it resumes or reuses.
struct PlannedRun {
  GroupDeletionOptions options;
  std::filesystem::path dir;
  double lambda = 0;
  nlohmann::json finished;                  // a finished run of the same sweep point, or null
  std::optional<train::Checkpoint> resumed;  // the interrupted run to continue (resume asked and found)
};

// One run into `out`, or (several lambdas) one per lambda into out/lambda_X. A checkpoint of another run in one of
// them fails here with a one-line Error, before any data is read.
std::vector<PlannedRun> plan_runs(const GroupDeletionOptions& o, const std::vector<double>& lambdas,
                                  const std::filesystem::path& out, const RunLabels& labels, bool resume);

// The sweep's folder name for one lambda: lambda_0.005 (shortest exact decimal form).
std::string lambda_folder(double lambda);

// A finished run of the same sweep point (same input checkpoint, dataset and options) in `dir`, or null.
nlohmann::json finished_run(const std::filesystem::path& dir, const GroupDeletionOptions& o, const RunLabels& labels);

// DIR/summary.json with one row per lambda, a Markdown table on stdout and the Figure 8 picture.
void write_sweep(const std::vector<nlohmann::json>& runs, const std::vector<double>& lambdas,
                 const std::filesystem::path& out, const nlohmann::json& summary_extra);

}  // namespace xbarcut::methods
