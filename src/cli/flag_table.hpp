// The flags several commands share, declared once: name and help text (defaults included where they differ per
// command). A command adds one with add_table_flag(cmd, "--dataset", target), so the same flag reads the same in
// every `--help`; tests/cli/flag_table_test.cpp walks every subcommand and fails on a flag declared twice with
// different help or default.
#pragma once
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace xbarcut::cli {

struct TableFlag {
  const char* name;
  const char* help;
  bool show_default;  // append the bound variable's value as the default ([64x64]) in --help
  CLI::Validator (*check)() = nullptr;  // what a typed value must satisfy (cli/value_checks.hpp)
};

const std::vector<TableFlag>& flag_table();

// The table's entry for `name`; throws std::logic_error for a flag not in the table (a programming error).
const TableFlag& table_flag(const std::string& name);

template <typename T>
CLI::Option* add_table_flag(CLI::App* cmd, const std::string& name, T& target) {
  const auto& f = table_flag(name);
  auto* o = cmd->add_option(f.name, target, f.help);
  if (f.show_default) o->capture_default_str();
  if (f.check) o->check(f.check());
  return o;
}
CLI::Option* add_table_switch(CLI::App* cmd, const std::string& name, bool& target);

// A command on a trained network: --checkpoint (required), --dataset, --data-dir, --out (required).
void add_trained_network_flags(CLI::App* cmd, std::string& checkpoint, std::string& dataset, std::string& data_dir,
                               std::string& out);

}  // namespace xbarcut::cli
