// --dataset, --data-dir and the options of the user's own data (--resize, --crop, --channels, --bad-images,
// --layout, --mean, --std), declared once for every command that reads data. The options are folded into the
// --dataset text as its query (images:DIR?resize=32x32), so the library sees one string and every checkpoint
// records how its data was read.
#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace xbarcut::cli {

void add_dataset_flags(CLI::App* cmd, std::string& dataset, std::string& data_dir);

}  // namespace xbarcut::cli
