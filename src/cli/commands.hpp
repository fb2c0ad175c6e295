// Each xbarcut subcommand registers its options and its action on a CLI11 app: it parses flags into an options
// struct, calls a runner of the library, writes the outputs and prints. To add a command: declare register_X here,
// define it in src/cli/cmd_X.cpp, add it to the table in commands.cpp.
#pragma once
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

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
void register_import(CLI::App& app);

// Every command's name, in --help order.
std::vector<std::string> command_names();
// Registers the command `name` on `app` (throws std::logic_error for an unknown name).
void register_command(CLI::App& app, const std::string& name);
// The whole command line: every command on one app, as main and the tests use it.
void register_all(CLI::App& app);

}  // namespace xbarcut::cli
