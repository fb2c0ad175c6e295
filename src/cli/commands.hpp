// Each xbarcut subcommand registers its options and its action on the shared CLI11 app.
// To add a command: declare register_X here, define it in src/cli/cmd_X.cpp, call it in main.cpp.
#pragma once
#include <CLI/CLI.hpp>

namespace xbarcut::cli {

void register_train(CLI::App& app);
void register_eval(CLI::App& app);
void register_map(CLI::App& app);
void register_export(CLI::App& app);
void register_clip(CLI::App& app);
void register_lowrank(CLI::App& app);
void register_delete(CLI::App& app);
void register_scissor(CLI::App& app);
void register_prune(CLI::App& app);
void register_trannsform(CLI::App& app);
void register_xbprune(CLI::App& app);

}  // namespace xbarcut::cli
