// TOML experiment configs -> per-step command-line flags, with "section.key=value" overrides.
#include "methods/group_scissor/pipeline_config.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "common/error.hpp"
#include "common/output_folder.hpp"

namespace xbarcut::methods {

namespace {

// A flag name as the commands spell it: finetune_iters and finetune-iters both mean --finetune-iters.
std::string flag_name(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  return key;
}

std::string scalar_text(const toml::node& v, const std::string& where) {
  if (auto s = v.value<std::string>(); s && v.is_string()) return *s;
  if (v.is_integer()) return fmt::format("{}", v.value<int64_t>().value());
  if (v.is_floating_point()) return fmt::format("{}", v.value<double>().value());
  throw Error(where + ": use a number, a string or true/false");
}

// The override value typed as TOML would type it (0.03 a number, true a flag); anything else is a string.
void set_override(toml::table& root, const std::string& item, const std::string& origin) {
  const auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0)
    throw Error("bad --set '" + item + "': use section.key=value, e.g. --set clip.eps=0.05");
  const std::string path = item.substr(0, eq), text = item.substr(eq + 1);
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + text);
  } catch (const toml::parse_error&) {
    parsed.insert_or_assign("v", text);
  }
  const auto dot = path.find('.');
  toml::table* target = &root;
  std::string key = path;
  if (dot != std::string::npos) {
    const std::string section = path.substr(0, dot);
    key = path.substr(dot + 1);
    if (!root.contains(section)) root.insert(section, toml::table{});
    target = root[section].as_table();
    if (!target) throw Error("bad --set '" + item + "': '" + section + "' in " + origin + " is not a table");
  }
  target->insert_or_assign(key, *parsed.get("v"));
}

}  // namespace

PipelineConfig parse_pipeline_config(const std::string& text, const std::string& origin,
                                     const std::vector<std::string>& step_names,
                                     const std::vector<std::string>& overrides) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    throw Error(fmt::format("{} line {} column {}: {}", origin, at.line, at.column, e.description()));
  }
  for (const auto& item : overrides) set_override(root, item, origin);

  PipelineConfig config;
  for (const auto& [k, v] : root) {
    const std::string key(k.str());
    if (v.is_table()) {
      if (std::find(step_names.begin(), step_names.end(), key) == step_names.end()) {
        std::string known;
        for (const auto& s : step_names) known += (known.empty() ? "" : ", ") + s;
        throw Error(fmt::format("{}: unknown step [{}]; the steps are {}", origin, key, known));
      }
      continue;
    }
    const std::string where = fmt::format("{}: {}", origin, key);
    if (!v.is_string()) {
      throw Error(fmt::format("{} must be a quoted string, e.g. {} = \"{}\"", where, key,
                              key == "out" ? "runs/NAME" : key == "dataset" ? "mnist" : key == "xbar" ? "64x64" : "DIR"));
    }
    const std::string value = scalar_text(v, where);
    const std::string name = flag_name(key);
    if (name == "out") config.out = value;
    else if (name == "dataset") config.dataset = value;
    else if (name == "data-dir") config.data_dir = value;
    else if (name == "xbar") config.xbar = value;
    else throw Error(where + " is not a known top-level key (out, dataset, data_dir, xbar); step options go in "
                     "their [step] table");
  }
  for (const auto& step_name : step_names) {
    PipelineStep step;
    step.name = step_name;
    if (const auto* table = root[step_name].as_table()) {
      for (const auto& [k, v] : *table) {
        const std::string key = flag_name(std::string(k.str()));
        const std::string where = fmt::format("{}: {}.{}", origin, step_name, key);
        if (key == "out") throw Error(where + ": each step writes into <out>/" + step_name + "; set the top-level out");
        if (key == "checkpoint" && step_name == "train") {
          step.skip = true;
          step.given_checkpoint = scalar_text(v, where);
          continue;
        }
        if (v.is_boolean()) {
          if (v.value<bool>().value()) step.flags.push_back("--" + key);
        } else if (const auto* arr = v.as_array()) {
          step.flags.push_back("--" + key);
          for (const auto& e : *arr) step.flags.push_back(scalar_text(e, where));
        } else {
          step.flags.push_back("--" + key);
          step.flags.push_back(scalar_text(v, where));
        }
      }
    }
    config.steps.push_back(step);
  }
  return config;
}

PipelineConfig load_pipeline_config(const std::string& path, const std::vector<std::string>& step_names,
                                    const std::vector<std::string>& overrides) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read config " + path + "; see configs/ for examples");
  std::stringstream text;
  text << in.rdbuf();
  return parse_pipeline_config(text.str(), path, step_names, overrides);
}

}  // namespace xbarcut::methods
