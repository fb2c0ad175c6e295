// `xbarcut map`: crossbar tiling, area, routing and energy of a checkpoint, a named model with ranks
// (shapes alone), or a TorchScript model; optional JSON and one picture per matrix.
#include <fmt/core.h>


#include "cli/commands.hpp"
#include "cli/command_line.hpp"
#include "cli/flag_table.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/named_values.hpp"
#include "common/error.hpp"
#include "data/dataset_info.hpp"
#include "nn/crossbar_view.hpp"
#include "nn/torchscript_import.hpp"
#include "report/cost_report.hpp"
#include "report/json_file.hpp"
#include "report/matrix_picture.hpp"
#include "train/checkpoint.hpp"

namespace xbarcut::cli {

namespace {

struct MapArgs {
  std::string checkpoint, model, ranks, torchscript, dataset, json, pictures;
  HardwareFlags hw;
};

void run_map(const MapArgs& a) {
  const int sources = !a.checkpoint.empty() + !a.model.empty() + !a.torchscript.empty();
  if (sources != 1) throw Error("give exactly one of --checkpoint, --model or --torchscript");
  if (!a.ranks.empty() && a.model.empty()) throw Error("--ranks works with --model (shapes alone)");
  const auto options = a.hw.options();
  std::vector<hw::WeightMatrix> current, original;
  if (!a.checkpoint.empty()) {
    auto ckpt = train::load_checkpoint(a.checkpoint);
    current = nn::network_matrices(ckpt.net);
    original = nn::original_matrices(ckpt.net->spec());
  } else if (!a.model.empty()) {
    const bool imagenet_model = a.model == "vgg16" || a.model == "resnet18";
    const bool cifar_model = a.model == "convnet" || a.model == "resnet20" || a.model.rfind("vgg8", 0) == 0;
    const std::string dataset = !a.dataset.empty() ? a.dataset
                                : imagenet_model   ? "imagenet"
                                : cifar_model      ? "cifar10"
                                                   : "mnist";
    // ImageNet is never loaded here: only its shape (3 x 224 x 224, 1000 classes) is needed.
    auto spec = dataset == "imagenet"
                    ? nn::make_net_spec(a.model, {3, 224, 224}, 1000)
                    : nn::make_net_spec(a.model, {data::input_shape(dataset).channels, data::input_shape(dataset).height,
                                                  data::input_shape(dataset).width},
                                        data::num_classes(dataset));
    if (!a.ranks.empty()) spec = nn::with_ranks(spec, parse_rank_list(a.ranks));
    current = nn::spec_matrices(spec);
    original = nn::original_matrices(spec);
  } else {
    current = nn::torchscript_matrices(a.torchscript);
    for (const auto& m : current) original.push_back(hw::shape_only(m.name, m.rows, m.cols, m.uses));
  }
  const auto cost = hw::cost_network(current, original, options);
  fmt::print("{}", report::cost_table(cost));
  if (!a.json.empty()) {
    auto j = report::cost_to_json(cost);
    j["command"] = command_line();
    j["xbar"] = a.hw.xbar;
    j["policy"] = a.hw.policy;
    report::write_json(a.json, j);
  }
  if (!a.pictures.empty()) {
    const auto files = report::write_matrix_pictures(current, options, a.pictures);
    if (files.empty())
      fmt::print("no pictures: the matrices have no weights (shapes only)\n");
    else
      fmt::print("wrote {} pictures to {}\n", files.size(), a.pictures);
  }
}

}  // namespace

void register_map(CLI::App& app) {
  auto a = std::make_shared<MapArgs>();
  auto* cmd = app.add_subcommand("map", "Tile a network onto crossbars and report crossbars, area, routing, energy. "
                                        "With --model the input shape is --dataset's (default mnist; cifar10 for "
                                        "convnet, vgg8, resnet20; ImageNet's 3x224x224 for vgg16, resnet18)");
  add_table_flag(cmd, "--checkpoint", a->checkpoint);
  cmd->add_option("--model", a->model, "a named model, mapped from its shapes alone (lenet, convnet, mlp:..., vgg8, vgg16, resnet20, resnet18)");
  cmd->add_option("--ranks", a->ranks, "with --model: low-rank layers, e.g. conv1=5,conv2=12,fc1=36");
  add_table_flag(cmd, "--dataset", a->dataset);
  cmd->add_option("--torchscript", a->torchscript, "a TorchScript model saved from PyTorch");
  cmd->add_option("--json", a->json, "write {\"matrices\": [...], \"summary\": {...}} here");
  cmd->add_option("--pictures", a->pictures, "write one PNG per matrix (crossbar grid drawn) into this folder");
  a->hw.add_to(cmd);
  cmd->callback([a] { run_map(*a); });
}

}  // namespace xbarcut::cli
