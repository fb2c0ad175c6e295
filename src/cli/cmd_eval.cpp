// `xbarcut eval`: test-set accuracy of a checkpoint.
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/dataset_flags.hpp"
#include "cli/flag_table.hpp"
#include "report/json_file.hpp"
#include "train/run_files.hpp"
#include "train/trainer.hpp"

namespace xbarcut::cli {

void register_eval(CLI::App& app) {
  struct Args {
    std::string checkpoint, dataset, data_dir, json;
    int threads = 0;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("eval", "Print the test-set accuracy of a checkpoint");
  add_table_flag(cmd, "--checkpoint", a->checkpoint)->required();
  add_dataset_flags(cmd, a->dataset, a->data_dir);
  cmd->add_option("--json", a->json, "also write {\"accuracy\": ...} to this file");
  add_table_flag(cmd, "--threads", a->threads);
  cmd->callback([a] {
    auto t = train::open_trained_network(a->checkpoint, a->dataset, a->data_dir, a->threads);
    const double acc = train::evaluate(t.ckpt.net, t.data.test);
    fmt::print("test accuracy {:.4f} ({} test images of {})\n", acc, t.data.test.size(), t.dataset);
    if (!a->json.empty())
      report::write_json(a->json, {{"accuracy", acc}, {"dataset", t.dataset}, {"checkpoint", a->checkpoint},
                                   {"test_images", t.data.test.size()}});
  });
}

}  // namespace xbarcut::cli
