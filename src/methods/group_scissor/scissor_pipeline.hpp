// Group Scissor end to end (train -> clip -> delete) from one experiment file, then one report. Each step is the
// command line of `xbarcut <step>` built from the config, run in this process by `run_step` (the CLI parses it
// with the step's own command, so a config file and a command line say exactly the same thing and each step's
// summary names its command). A finished step whose arguments did not change is skipped; an interrupted step
// resumes from its checkpoint: rerunning after a stop loses nothing.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "methods/group_scissor/pipeline_config.hpp"

namespace xbarcut::methods {

extern const std::vector<std::string> kScissorSteps;  // train, clip, delete

struct ScissorOptions {
  PipelineConfig config;
  std::string config_origin;         // for the report: "FILE --set a=b ..."
  std::vector<std::string> only;     // steps to run (empty = all); the others are reused as they stand
};

// Runs one step: `args` = {"clip", "--eps", "0.03", ...}. Throws what the step throws (train::Interrupted on a stop).
using StepRunner = std::function<void(const std::vector<std::string>& args)>;

// Writes <out>/<step>/ for every step, then <out>/report.md, report.json and pictures/; prints the hardware table.
void run_scissor_pipeline(const ScissorOptions& options, const StepRunner& run_step);

}  // namespace xbarcut::methods
