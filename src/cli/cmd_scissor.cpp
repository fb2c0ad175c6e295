// `xbarcut scissor --config FILE.toml`: Group Scissor end to end (train -> clip -> delete) from one config,
// then one report. Each step runs as its own `xbarcut <step>` process, so its summary.json names the exact
// command that produced it and a step can be rerun by hand. A finished step whose arguments did not change
// is skipped, an interrupted step resumes from its checkpoint: rerunning after a stop loses nothing.
#include <fmt/core.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <thread>

#include <filesystem>
#include <sstream>
#include <fstream>

#include "cli/commands.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/pipeline_config.hpp"
#include "cli/run_support.hpp"
#include "common/error.hpp"
#include "nn/crossbar_view.hpp"
#include "report/cost_report.hpp"
#include "report/matrix_picture.hpp"
#include "report/pipeline_report.hpp"
#include "train/checkpoint.hpp"
#include "train/stop_request.hpp"

extern char** environ;

namespace xbarcut::cli {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kSteps = {"train", "clip", "delete"};

struct ScissorArgs {
  std::string config, out, dataset, data_dir;
  std::vector<std::string> overrides;
  std::string only;  // "train,clip": stop early
};

bool has_flag(const std::vector<std::string>& flags, const std::string& flag) {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs this same binary with `args`; the child's output goes straight to the terminal.
int run_self(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string self = "/proc/self/exe";
  argv.push_back(self.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv.data(), environ) != 0)
    throw Error("cannot start a step: posix_spawn of /proc/self/exe failed");
  // A stop request aimed at this process alone (kill -TERM) is passed on, so the step checkpoints and exits.
  // Ctrl-C reaches the step directly (same process group); the extra SIGTERM then only repeats the request.
  const train::StopSignalScope stop_on_signal;
  int status = 0;
  bool forwarded = false;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (train::stop_requested() && !forwarded) {
      kill(pid, SIGTERM);
      forwarded = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

nlohmann::json read_summary(const fs::path& dir) {
  const auto p = dir / "summary.json";
  if (!fs::exists(p)) return nullptr;
  try {
    return nlohmann::json::parse(read_file(p));
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

void run_scissor(const ScissorArgs& a) {
  auto cfg = load_pipeline_config(a.config, kSteps, a.overrides);
  if (!a.out.empty()) cfg.out = a.out;
  if (!a.dataset.empty()) cfg.dataset = a.dataset;
  if (!a.data_dir.empty()) cfg.data_dir = a.data_dir;
  if (cfg.out.empty()) throw Error("no output folder: set out = \"runs/NAME\" in " + a.config + " or give --out");
  if (cfg.dataset.empty()) throw Error("no dataset: set dataset = \"mnist\" in " + a.config + " or give --dataset");
  HardwareFlags hw_flags;
  hw_flags.xbar = cfg.xbar;
  const auto hw = hw_flags.options();  // a bad crossbar size fails here, before any training
  // `delete --lambda a,b` is a sweep with no single model for the next step and the report: refuse it up front.
  for (const auto& step : cfg.steps) {
    const auto it = std::find(step.flags.begin(), step.flags.end(), "--lambda");
    if (step.name == "delete" && it != step.flags.end() && std::next(it) != step.flags.end() &&
        std::next(it)->find(',') != std::string::npos)
      throw Error("delete.lambda = \"" + *std::next(it) + "\" is a sweep; the pipeline needs one lambda (run the sweep "
                  "with xbarcut delete --lambda " + *std::next(it) + ")");
  }

  std::vector<std::string> wanted = kSteps;
  if (!a.only.empty()) {
    wanted.clear();
    std::stringstream ss(a.only);
    for (std::string s; std::getline(ss, s, ',');) {
      if (std::find(kSteps.begin(), kSteps.end(), s) == kSteps.end())
        throw Error("bad --steps '" + a.only + "': use a comma list of " + join(kSteps, ", "));
      wanted.push_back(s);
    }
  }
  const auto& first = cfg.steps.front();
  if (first.skip && !fs::exists(first.given_checkpoint))
    throw Error("train.checkpoint " + first.given_checkpoint + " does not exist; train it or remove the key");

  fs::create_directories(cfg.out);
  std::vector<report::PipelineStepResult> results;
  std::string checkpoint;  // the previous step's model
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
    std::vector<std::string> args{step.name};
    args.insert(args.end(), step.flags.begin(), step.flags.end());
    if (!has_flag(step.flags, "--dataset")) args.insert(args.end(), {"--dataset", cfg.dataset});
    if (!cfg.data_dir.empty() && !has_flag(step.flags, "--data-dir")) args.insert(args.end(), {"--data-dir", cfg.data_dir});
    // The crossbar size shapes clip's area figures and delete's Lasso groups: one value for the whole pipeline.
    if (step.name != "train" && !has_flag(step.flags, "--xbar")) args.insert(args.end(), {"--xbar", cfg.xbar});
    if (i > 0) {
      if (checkpoint.empty()) throw Error("step " + step.name + " needs the model of the step before it; run that step");
      args.insert(args.end(), {"--checkpoint", checkpoint});
    }
    args.insert(args.end(), {"--out", dir.string()});

    const std::string fingerprint = join(args, "\n") + "\n";
    const fs::path stamp = dir / "step_args.txt";
    const bool same_args = fs::exists(stamp) && read_file(stamp) == fingerprint;
    if (!rerun_rest && same_args && fs::exists(dir / "summary.json") && fs::exists(dir / "model.pt")) {
      fmt::print("== {}: already done with the same arguments ({}); delete that folder to redo it\n", step.name,
                 dir.string());
    } else {
      rerun_rest = true;
      fs::create_directories(dir);
      // Every step resumes an interrupted run of itself from its checkpoint.
      if (same_args && fs::exists(dir / "checkpoint.pt")) args.push_back("--resume");
      write_text_atomic(stamp.string(), fingerprint);
      fmt::print("== step {}/{}: xbarcut {}\n", i + 1, cfg.steps.size(), join(args, " "));
      std::fflush(stdout);
      const int code = run_self(args);
      if (code == 130)
        throw train::Interrupted(fmt::format("step {} was interrupted; its checkpoint is kept: rerun the same command "
                                             "to continue it", step.name));
      if (code != 0)
        throw Error(fmt::format("step {} failed (exit {}); fix what it reported and rerun the same command: "
                                "finished steps are kept",
                                step.name, code));
    }
    checkpoint = (dir / "model.pt").string();
    results.push_back({step.name, read_summary(dir), dir.string()});
  }

  // One report on the final network.
  auto ckpt = train::load_checkpoint(checkpoint);
  const auto spec = ckpt.net->spec();
  const auto matrices = nn::network_matrices(ckpt.net);
  const auto cost = hw::cost_network(matrices, nn::original_matrices(spec), hw);
  report::PipelineReport r;
  r.title = fmt::format("Group Scissor: {} on {}", spec.name, cfg.dataset);
  r.config = a.config + (a.overrides.empty() ? "" : " --set " + join(a.overrides, " --set "));
  r.steps = results;
  r.final_cost = cost;
  r.machine = machine_info();
  for (const auto& g : nn::layer_geometry(spec)) r.ranks.push_back({g.name, std::min(g.rows, g.cols), g.rank});
  const fs::path pictures = fs::path(cfg.out) / "pictures";
  for (const auto& f : report::write_matrix_pictures(matrices, hw, pictures.string()))
    r.pictures.push_back(fs::relative(f, cfg.out).string());
  for (const auto& s : results) {
    if (!fs::exists(s.directory) || !fs::is_directory(s.directory)) continue;
    for (const auto& e : fs::directory_iterator(s.directory))
      if (e.path().extension() == ".png") r.pictures.push_back(fs::relative(e.path(), cfg.out).string());
  }
  write_text_atomic((fs::path(cfg.out) / "report.md").string(), report::pipeline_markdown(r));
  write_json((fs::path(cfg.out) / "report.json").string(), report::pipeline_json(r));
  fmt::print("\n{}", report::cost_table(cost));
  fmt::print("report: {}/report.md (JSON: report.json, pictures: pictures/)\n", cfg.out);
}

}  // namespace

void register_scissor(CLI::App& app) {
  auto a = std::make_shared<ScissorArgs>();
  auto* cmd = app.add_subcommand(
      "scissor", "Group Scissor end to end: train -> clip (rank clipping) -> delete (group deletion), one report");
  cmd->add_option("--config", a->config, "experiment file (TOML), e.g. configs/scissor_lenet_mnist.toml")
      ->required();
  cmd->add_option("--out", a->out, "output folder (overrides the config's out)");
  cmd->add_option("--dataset", a->dataset, "dataset (overrides the config's dataset)");
  cmd->add_option("--data-dir", a->data_dir, "folder holding mnist/, fashion-mnist/, cifar10/");
  cmd->add_option("--set", a->overrides, "override a config value: section.key=value, e.g. clip.eps=0.05 (repeatable)");
  cmd->add_option("--steps", a->only, "run only these steps (comma list of train, clip, delete); others are reused");
  cmd->callback([a] { run_scissor(*a); });
}

}  // namespace xbarcut::cli
