#include "cli/dataset_flags.hpp"

#include <memory>
#include <utility>
#include <vector>

#include "cli/flag_table.hpp"
#include "common/error.hpp"

namespace xbarcut::cli {

void add_dataset_flags(CLI::App* cmd, std::string& dataset, std::string& data_dir) {
  add_table_flag(cmd, "--dataset", dataset);
  add_table_flag(cmd, "--data-dir", data_dir);
  // Each option's query key and its value; owned by the callback below, which lives as long as the command.
  auto options = std::make_shared<std::vector<std::pair<std::string, std::string>>>(std::vector<
      std::pair<std::string, std::string>>{
      {"resize", ""}, {"crop", ""}, {"channels", ""}, {"bad-images", ""}, {"layout", ""}, {"mean", ""}, {"std", ""}});
  for (auto& [key, value] : *options) add_table_flag(cmd, "--" + key, value)->group("Your data");
  cmd->parse_complete_callback([options, &dataset] {
    std::string query;
    for (const auto& [key, value] : *options) {
      if (value.empty()) continue;
      if (dataset.empty()) {
        throw Error("--" + key + " describes your own data: give it with --dataset images:DIR, npz:FILE or npy:DIR");
      }
      query += (query.empty() ? "" : "&") + key + "=" + value;
    }
    if (!query.empty()) dataset += (dataset.find('?') == std::string::npos ? "?" : "&") + query;
  });
}

}  // namespace xbarcut::cli
