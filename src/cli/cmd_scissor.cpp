// `xbarcut scissor --config FILE.toml`: Group Scissor end to end (methods::run_scissor_pipeline). Each step is run in
// this process by the step's own command (parsed from the config's flags), so its summary names the exact command
// that produced it and a step can be rerun by hand.
#include <algorithm>
#include <sstream>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/dataset_flags.hpp"
#include "cli/flag_table.hpp"
#include "methods/group_scissor/scissor_pipeline.hpp"

namespace xbarcut::cli {

namespace {

struct ScissorArgs {
  std::string config, out, dataset, data_dir, only;
  std::vector<std::string> overrides;
};

// One step as its command would run it from the command line: a fresh parser holding that command alone.
void run_step(const std::vector<std::string>& args) {
  CLI::App app;
  register_command(app, args.front());
  set_command_line(args);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes the arguments last first
  app.parse(reversed);
}

void run_scissor(const ScissorArgs& a) {
  methods::ScissorOptions o;
  o.config = methods::load_pipeline_config(a.config, methods::kScissorSteps, a.overrides);
  if (!a.out.empty()) o.config.out = a.out;
  if (!a.dataset.empty()) o.config.dataset = a.dataset;
  if (!a.data_dir.empty()) o.config.data_dir = a.data_dir;
  o.config_origin = a.config;
  for (const auto& s : a.overrides) o.config_origin += " --set " + s;
  std::stringstream steps(a.only);
  for (std::string s; std::getline(steps, s, ',');) o.only.push_back(s);
  methods::run_scissor_pipeline(o, run_step);
}

}  // namespace

void register_scissor(CLI::App& app) {
  auto a = std::make_shared<ScissorArgs>();
  auto* cmd = app.add_subcommand("scissor", "Group Scissor end to end: train -> clip (rank clipping) -> delete (group "
                                            "deletion), one report. Writes DIR/<step>/, DIR/report.md, report.json, "
                                            "pictures/; finished steps are skipped, an interrupted one resumes. --out, "
                                            "--dataset and --data-dir override the config's");
  cmd->add_option("--config", a->config, "experiment file (TOML), e.g. configs/scissor_lenet_mnist.toml")->required();
  add_table_flag(cmd, "--out", a->out);
  add_dataset_flags(cmd, a->dataset, a->data_dir);
  cmd->add_option("--set", a->overrides, "override a config value: section.key=value, e.g. clip.eps=0.05 (repeatable)");
  cmd->add_option("--steps", a->only, "run only these steps (comma list of train, clip, delete); others are reused");
  cmd->callback([a] { run_scissor(*a); });
}

}  // namespace xbarcut::cli
