// A multi-step experiment described as data (a TOML file): top-level keys shared by every step
// (dataset, data_dir, out, ...) and one table per step whose keys are that step's command-line flags.
// run_scissor_pipeline turns it into the argument lists of `xbarcut train`, `clip` and `delete`, so a config
// file and a command line say exactly the same thing and every step's summary names its own command.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace xbarcut::methods {

struct PipelineStep {
  std::string name;                // train, clip, delete
  std::vector<std::string> flags;  // "--eps", "0.03", "--centered", ...
  bool skip = false;               // `checkpoint = "..."` in [train]: start from that baseline
  std::string given_checkpoint;    // that baseline
};

struct PipelineConfig {
  std::string out;
  std::string dataset;
  std::string data_dir;
  std::string xbar = "64x64";
  std::vector<PipelineStep> steps;  // in the order of `step_names`
};

// Reads FILE (TOML), applies overrides "section.key=value" (or "key=value" for a top-level key) in order.
// Unknown top-level keys and tables are errors (a typo must not silently fall back to a default).
PipelineConfig load_pipeline_config(const std::string& path, const std::vector<std::string>& step_names,
                                    const std::vector<std::string>& overrides);

// The same from TOML text, for tests; `origin` names the source in error messages.
PipelineConfig parse_pipeline_config(const std::string& text, const std::string& origin,
                                     const std::vector<std::string>& step_names,
                                     const std::vector<std::string>& overrides);

}  // namespace xbarcut::methods
