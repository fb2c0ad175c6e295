// Each xbarcut subcommand registers its options and its action on the shared CLI11 app.
#pragma once
#include <CLI/CLI.hpp>

namespace xbarcut::cli {

void register_train(CLI::App& app);
void register_eval(CLI::App& app);

}  // namespace xbarcut::cli
