// `xbarcut eval`: test-set accuracy of a checkpoint.
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/run_support.hpp"
#include "common/error.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"

namespace xbarcut::cli {

void register_eval(CLI::App& app) {
  struct Args {
    std::string checkpoint, dataset, data_dir, json;
    int threads = 0;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("eval", "Print the test-set accuracy of a checkpoint");
  cmd->add_option("--checkpoint", a->checkpoint, "model.pt written by train, clip, delete ...")->required();
  cmd->add_option("--dataset", a->dataset, "mnist | fashion-mnist | cifar10 | cifar10-grey (default: the one it was trained on)");
  cmd->add_option("--data-dir", a->data_dir, "folder holding the datasets (else $XBARCUT_DATA)");
  cmd->add_option("--json", a->json, "also write {\"accuracy\": ...} to this file");
  cmd->add_option("--threads", a->threads, "CPU threads (default: all)");
  cmd->callback([a] {
    auto ckpt = train::load_checkpoint(a->checkpoint);
    const std::string dataset = a->dataset.empty() ? ckpt.info.value("dataset", std::string("fashion-mnist")) : a->dataset;
    setup_threads(a->threads);
    auto data = load_data(dataset, a->data_dir, &ckpt.input);
    const auto spec = ckpt.net->spec();
    if (data.input_shape != spec.input || data.classes != spec.classes)
      throw Error("checkpoint " + a->checkpoint + " was made for another input shape than " + dataset + "'s");
    if (spec.is_conv_net()) ckpt.net->use_channels_last();
    const double acc = train::evaluate(ckpt.net, data.test);
    fmt::print("test accuracy {:.4f} ({} test images of {})\n", acc, data.test.size(), dataset);
    if (!a->json.empty())
      write_json(a->json, {{"accuracy", acc}, {"dataset", dataset}, {"checkpoint", a->checkpoint},
                           {"test_images", data.test.size()}});
  });
}

}  // namespace xbarcut::cli
