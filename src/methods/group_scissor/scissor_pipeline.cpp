#include "methods/group_scissor/scissor_pipeline.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/core.h>
#include <torch/torch.h>

#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "hw/tiling.hpp"
#include "nn/crossbar_view.hpp"
#include "report/cost_report.hpp"
#include "report/json_file.hpp"
#include "report/matrix_picture.hpp"
#include "report/pipeline_report.hpp"
#include "train/checkpoint.hpp"
#include "train/run_files.hpp"
#include "train/stop_request.hpp"

namespace xbarcut::methods {

const std::vector<std::string> kScissorSteps = {"train", "clip", "delete"};

namespace {

namespace fs = std::filesystem;

bool has_flag(const std::vector<std::string>& flags, const std::string& flag) {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

nlohmann::json read_summary(const fs::path& dir) { return report::read_json_or_null((dir / "summary.json").string()); }

// The checks that need no training: a crossbar size, a lambda sweep (no single model for the next step), a missing
// baseline, unknown --steps.
void check(const ScissorOptions& o) {
  const auto& cfg = o.config;
  if (cfg.out.empty()) throw Error("no output folder: set out = \"runs/NAME\" in the config or give --out");
  if (cfg.dataset.empty()) throw Error("no dataset: set dataset = \"mnist\" in the config or give --dataset");
  hw::parse_crossbar(cfg.xbar);
  for (const auto& step : cfg.steps) {
    const auto it = std::find(step.flags.begin(), step.flags.end(), "--lambda");
    if (step.name == "delete" && it != step.flags.end() && std::next(it) != step.flags.end() &&
        std::next(it)->find(',') != std::string::npos)
      throw Error("delete.lambda = \"" + *std::next(it) + "\" is a sweep; the pipeline needs one lambda (run the sweep "
                  "with xbarcut delete --lambda " + *std::next(it) + ")");
  }
  for (const auto& s : o.only)
    if (std::find(kScissorSteps.begin(), kScissorSteps.end(), s) == kScissorSteps.end())
      throw Error("bad --steps '" + join(o.only, ",") + "': use a comma list of " + join(kScissorSteps, ", "));
  const auto& first = cfg.steps.front();
  if (first.skip && !fs::exists(first.given_checkpoint))
    throw Error("train.checkpoint " + first.given_checkpoint + " does not exist; train it or remove the key");
}

// The step's full command line: its flags plus what the pipeline supplies (dataset, crossbar, input, output).
std::vector<std::string> step_args(const PipelineConfig& cfg, const PipelineStep& step, size_t index,
                                   const std::string& checkpoint, const fs::path& dir) {
  std::vector<std::string> args{step.name};
  args.insert(args.end(), step.flags.begin(), step.flags.end());
  if (!has_flag(step.flags, "--dataset")) args.insert(args.end(), {"--dataset", cfg.dataset});
  if (!cfg.data_dir.empty() && !has_flag(step.flags, "--data-dir")) args.insert(args.end(), {"--data-dir", cfg.data_dir});
  // The crossbar size shapes clip's area figures and delete's Lasso groups: one value for the whole pipeline.
  if (step.name != "train" && !has_flag(step.flags, "--xbar")) args.insert(args.end(), {"--xbar", cfg.xbar});
  if (index > 0) {
    if (checkpoint.empty()) throw Error("step " + step.name + " needs the model of the step before it; run that step");
    args.insert(args.end(), {"--checkpoint", checkpoint});
  }
  args.insert(args.end(), {"--out", dir.string()});
  return args;
}

// Runs the step in this process with the global RNG as a fresh process has it, so a step gives the figures it gives
// when run alone.
void run_in_process(const StepRunner& run_step, const std::string& name, const std::vector<std::string>& args) {
  torch::manual_seed(c10::default_rng_seed_val);
  try {
    run_step(args);
  } catch (const train::Interrupted&) {
    throw train::Interrupted(fmt::format("step {} was interrupted; its checkpoint is kept: rerun the same command to "
                                         "continue it", name));
  } catch (const Error& e) {
    throw Error(fmt::format("step {} failed: {}; fix it and rerun the same command: finished steps are kept", name,
                            e.what()));
  }
}

void write_report(const ScissorOptions& o, const std::string& checkpoint,
                  const std::vector<report::PipelineStepResult>& results) {
  const auto& cfg = o.config;
  hw::HardwareOptions hw;
  hw.xbar = hw::parse_crossbar(cfg.xbar);
  auto ckpt = train::load_checkpoint(checkpoint);
  const auto spec = ckpt.net->spec();
  const auto matrices = nn::network_matrices(ckpt.net);
  const auto cost = hw::cost_network(matrices, nn::original_matrices(spec), hw);
  report::PipelineReport r;
  r.title = fmt::format("Group Scissor: {} on {}", spec.name, cfg.dataset);
  r.config = o.config_origin;
  r.steps = results;
  r.final_cost = cost;
  r.machine = train::machine_info();
  for (const auto& g : nn::layer_geometry(spec)) r.ranks.push_back({g.name, std::min(g.rows, g.cols), g.rank});
  const fs::path pictures = fs::path(cfg.out) / "pictures";
  for (const auto& f : report::write_matrix_pictures(matrices, hw, pictures.string()))
    r.pictures.push_back(fs::relative(f, cfg.out).string());
  for (const auto& s : results) {
    if (!fs::exists(s.directory) || !fs::is_directory(s.directory)) continue;
    for (const auto& e : fs::directory_iterator(s.directory))
      if (e.path().extension() == ".png") r.pictures.push_back(fs::relative(e.path(), cfg.out).string());
  }
  report::write_text_atomic((fs::path(cfg.out) / "report.md").string(), report::pipeline_markdown(r));
  report::write_json((fs::path(cfg.out) / "report.json").string(), report::pipeline_json(r));
  fmt::print("\n{}", report::cost_table(cost));
  fmt::print("report: {}/report.md (JSON: report.json, pictures: pictures/)\n", cfg.out);
}

}  // namespace

void run_scissor_pipeline(const ScissorOptions& o, const StepRunner& run_step) {
  check(o);
  const auto& cfg = o.config;
  const auto wanted = o.only.empty() ? kScissorSteps : o.only;
  claim_output_folder(cfg.out);  // its steps' folders inside are claimed by the steps
  std::vector<report::PipelineStepResult> results;
  std::string checkpoint;   // the previous step's model
  bool rerun_rest = false;  // once a step reruns, every later step must too
  for (size_t i = 0; i < cfg.steps.size(); ++i) {
    const auto& step = cfg.steps[i];
    const fs::path dir = fs::path(cfg.out) / step.name;
    if (step.skip) {
      checkpoint = step.given_checkpoint;
      results.push_back({step.name, read_summary(fs::path(checkpoint).parent_path()), fs::path(checkpoint).parent_path()});
      fmt::print("== {}: using the trained baseline {}\n", step.name, checkpoint);
      continue;
    }
    if (std::find(wanted.begin(), wanted.end(), step.name) == wanted.end()) {
      // A step left out is reused as it stands, unless an earlier step was just redone (then it is stale).
      const bool usable = !rerun_rest && fs::exists(dir / "model.pt");
      if (usable) checkpoint = (dir / "model.pt").string();
      results.push_back({step.name, usable ? read_summary(dir) : nullptr, dir.string()});
      continue;
    }
    auto args = step_args(cfg, step, i, checkpoint, dir);
    const std::string fingerprint = join(args, "\n") + "\n";
    const fs::path stamp = dir / "step_args.txt";
    const bool same_args = fs::exists(stamp) && read_text(stamp) == fingerprint;
    if (!rerun_rest && same_args && fs::exists(dir / "summary.json") && fs::exists(dir / "model.pt")) {
      fmt::print("== {}: already done with the same arguments ({}); delete that folder to redo it\n", step.name,
                 dir.string());
    } else {
      rerun_rest = true;
      fs::create_directories(dir);
      // Every step resumes an interrupted run of itself from its checkpoint.
      if (same_args && fs::exists(dir / "checkpoint.pt")) args.push_back("--resume");
      report::write_text_atomic(stamp.string(), fingerprint);
      fmt::print("== step {}/{}: xbarcut {}\n", i + 1, cfg.steps.size(), join(args, " "));
      std::fflush(stdout);
      run_in_process(run_step, step.name, args);
    }
    checkpoint = (dir / "model.pt").string();
    results.push_back({step.name, read_summary(dir), dir.string()});
  }
  write_report(o, checkpoint, results);
}

}  // namespace xbarcut::methods
