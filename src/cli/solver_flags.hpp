// The SGD solver flags of the commands that train (--lr, --lr-policy, --gamma, --stepvalues, ...), registered
// once from the flag table so every command offers the same set; a flag overrides the command's solver only when
// it was typed.
#pragma once
#include <CLI/CLI.hpp>

#include <map>
#include <string>

#include "train/solver_options.hpp"

namespace xbarcut::cli {

struct SolverFlags {
  train::SolverOptions typed;                 // the values as parsed; meaningful only where given
  std::map<std::string, CLI::Option*> given;  // flag name -> its option, to ask whether it was typed

  // `long_runs` adds the flags of a run from scratch: --checkpoint-every, --crop-pad, --flip.
  void add_to(CLI::App* cmd, bool long_runs);
  // --checkpoint-every alone, for commands that resume but take no augmentation flags.
  void add_checkpoint_every(CLI::App* cmd);
  // --crop-pad and --flip alone, for commands that train but do not checkpoint.
  void add_augmentation(CLI::App* cmd);
  bool set(const std::string& flag) const;
  // Every typed flag applied to `o` (the command's default solver). A new --lr-policy comes first and brings its
  // usual gamma, so an explicit --gamma still wins.
  void apply(train::SolverOptions& o) const;
};

}  // namespace xbarcut::cli
