// Every flag reads the same in every command: walks each subcommand's options (as llama.cpp's test-arg-parser does
// for its tools) and fails when a flag name is declared twice with different help or default, or a table flag's
// help differs from the table's.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cli/commands.hpp"
#include "cli/flag_table.hpp"
#include "cli/option_names.hpp"

namespace {

struct Declaration {
  std::string command, help, default_text;
};

// Flags whose meaning is each command's own, said in its help: the length of the command's main phase and the
// settings of that phase. A new duplicate outside this list must come from the flag table.
const std::set<std::string> kCommandOwn = {
    "--iters",        // train: training, clip: training, delete: group-Lasso phase, xbprune: LGD, prune: retraining
    "--finetune-iters", "--finetune-lr",  // delete's and xbprune's fine-tuning phases (different solvers)
    "--epochs",       // train: training length; prune / trannsform: retraining length
    "--prune-max", "--threshold-ramp",   // prune's adaptive mode vs TraNNsformer's threshold (same rule, own help)
    "--layers",       // the layers each method works on
    "--model",        // train: the model to train; map: shapes alone; trannsform: from scratch
    "--ranks",        // map: ranks of a named model's shapes; lowrank: ranks to approximate at
    "--lra", "--centered", "--eps",       // clip and lowrank: same meaning, help says what each does with it
    "--json",         // eval: accuracy; map: the cost
    "--train-images", // prune / trannsform (one declaration, RetrainFlags)
    "--config",
    "--torchscript", "--onnx",  // map and import read the file, export writes it
};

std::map<std::string, std::vector<Declaration>> declarations() {
  CLI::App app;
  xbarcut::cli::register_all(app);
  std::map<std::string, std::vector<Declaration>> flags;
  for (const auto* cmd : app.get_subcommands({}))
    for (const auto* opt : cmd->get_options()) {
      if (opt->get_lnames().empty() || opt->get_lnames().front() == "help") continue;
      flags["--" + opt->get_lnames().front()].push_back(
          {cmd->get_name(), opt->get_description(), opt->get_default_str()});
    }
  return flags;
}

TEST(FlagTable, EveryCommandIsWalked) {
  CLI::App app;
  xbarcut::cli::register_all(app);
  EXPECT_EQ(app.get_subcommands({}).size(), xbarcut::cli::command_names().size());
  EXPECT_GE(declarations().at("--out").size(), 9u);  // every command that writes files
}

TEST(FlagTable, TableFlagsReadAsTheTableSays) {
  for (const auto& [name, decls] : declarations()) {
    const xbarcut::cli::TableFlag* entry = nullptr;
    for (const auto& f : xbarcut::cli::flag_table())
      if (name == f.name) entry = &f;
    if (!entry) continue;
    for (const auto& d : decls) EXPECT_EQ(d.help, entry->help) << name << " in xbarcut " << d.command;
  }
}

TEST(FlagTable, NoFlagIsDeclaredTwiceWithDifferentHelpOrDefault) {
  for (const auto& [name, decls] : declarations()) {
    if (kCommandOwn.count(name)) continue;
    for (const auto& d : decls) {
      EXPECT_EQ(d.help, decls.front().help)
          << name << ": xbarcut " << d.command << " and xbarcut " << decls.front().command
          << " describe it differently; declare it once in src/cli/flag_table.cpp";
      EXPECT_EQ(d.default_text, decls.front().default_text)
          << name << ": xbarcut " << d.command << " and xbarcut " << decls.front().command << " default differently";
    }
  }
}

TEST(FlagTable, TheTableHoldsEachFlagOnce) {
  std::set<std::string> seen;
  for (const auto& f : xbarcut::cli::flag_table()) EXPECT_TRUE(seen.insert(f.name).second) << f.name << " twice";
}

TEST(OptionNames, FieldsBecomeTheFlagsTheUserTyped) {
  using xbarcut::cli::with_flag_names;
  EXPECT_EQ(with_flag_names("`lasso.zero_threshold` must be >= 0 (got -1)"), "--lasso-threshold must be >= 0 (got -1)");
  EXPECT_EQ(with_flag_names("`finetune.base_lr` must be a positive number"), "--finetune-lr must be a positive number");
  EXPECT_EQ(with_flag_names("`solver.base_lr` must be a positive number"), "--lr must be a positive number");
  EXPECT_EQ(with_flag_names("`prune.keep_ratio` must be in (0, 1]"), "--keep-ratio must be in (0, 1]");
  EXPECT_EQ(with_flag_names("need `quality_min` <= `quality_max`"), "need --quality-min <= --quality-max");
  EXPECT_EQ(with_flag_names("no field here"), "no field here");
  EXPECT_EQ(with_flag_names("an unpaired ` stays"), "an unpaired ` stays");
}

}  // namespace
