// `xbarcut import`: a PyTorch network saved as TorchScript becomes an ordinary xbarcut checkpoint (nn::import_torchscript)
// that every command takes. Writes DIR/model.pt and DIR/summary.json.
#include <fmt/core.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/flag_table.hpp"
#include "data/dataset_info.hpp"
#include "nn/import_torchscript.hpp"
#include "train/run_files.hpp"

namespace xbarcut::cli {

void register_import(CLI::App& app) {
  struct Args {
    std::string torchscript, input, dataset, out;
    double tolerance = 1e-4;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("import", "Import a PyTorch network saved as TorchScript (torch.jit.script or trace); "
                                           "checks the import on a random batch. Writes DIR/model.pt, summary.json");
  cmd->add_option("--torchscript", a->torchscript, "the saved module (model.save(path) in PyTorch)")->required();
  cmd->add_option("--input", a->input, "one example's shape, channels x height x width, e.g. 3x32x32")->required();
  cmd->add_option("--tolerance", a->tolerance, "largest relative output difference accepted")->capture_default_str();
  add_table_flag(cmd, "--dataset", a->dataset);
  add_table_flag(cmd, "--out", a->out)->required();
  cmd->callback([a] {
    nn::ImportOptions o;
    o.input = nn::parse_input_shape(a->input);
    o.tolerance = a->tolerance;
    const auto r = nn::import_torchscript(a->torchscript, o);
    const auto spec = r.net->spec();
    nlohmann::json info{{"command", "import"}, {"model", spec.name}, {"source", a->torchscript},
                        {"input_transform", "dataset"}};
    if (!a->dataset.empty()) {
      train::check_input_shape(spec, a->dataset, a->torchscript);
      info["dataset"] = a->dataset;
    }
    train::write_model(a->out, r.net, train::InputTransform{}, 0, info);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& g : nn::layer_geometry(spec)) layers.push_back({{"name", g.name}, {"rows", g.rows}, {"cols", g.cols}});
    info.update({{"command", command_line()}, {"parity", r.parity}, {"parameters", r.parameters},
                 {"layers", spec.layers.size()}, {"weight_layers", layers}, {"ops_skipped", r.ops_skipped}});
    train::write_summary(a->out, info);
    fmt::print("imported {} layers ({} weight layers, {} parameters); outputs match the module to {:.2g} (relative); "
               "wrote {}/model.pt and {}/summary.json\n",
               spec.layers.size(), layers.size(), r.parameters, r.parity, a->out, a->out);
  });
}

}  // namespace xbarcut::cli
