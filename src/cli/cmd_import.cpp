// `xbarcut import`: a PyTorch network saved as TorchScript becomes an ordinary xbarcut checkpoint (nn::import_torchscript)
// that every command takes. Writes DIR/model.pt and DIR/summary.json.
#include <fmt/core.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/flag_table.hpp"
#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "nn/import_torchscript.hpp"
#include "nn/onnx_model.hpp"
#include "train/run_files.hpp"

namespace xbarcut::cli {

void register_import(CLI::App& app) {
  struct Args {
    std::string torchscript, onnx, input, dataset, out;
    double tolerance = 1e-4;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("import", "Import a PyTorch network saved as TorchScript (checked against the module on a "
                                           "random batch) or ONNX. Writes DIR/model.pt, summary.json");
  auto* ts = cmd->add_option("--torchscript", a->torchscript, "the saved module (torch.jit.script or trace, then save)");
  cmd->add_option("--onnx", a->onnx, "or an ONNX file (torch.onnx.export)")->excludes(ts);
  cmd->add_option("--input", a->input, "one example's shape, channels x height x width, e.g. 3x32x32")->required();
  cmd->add_option("--tolerance", a->tolerance, "largest relative output difference accepted")->capture_default_str();
  add_table_flag(cmd, "--dataset", a->dataset);
  add_table_flag(cmd, "--out", a->out)->required();
  cmd->callback([a] {
    if (a->torchscript.empty() == a->onnx.empty()) throw Error("give --torchscript FILE or --onnx FILE");
    nn::ImportOptions o;
    o.input = nn::parse_input_shape(a->input);
    o.tolerance = a->tolerance;
    const auto r = a->onnx.empty() ? nn::import_torchscript(a->torchscript, o) : nn::import_onnx(a->onnx, o.input);
    const auto spec = r.net->spec();
    nlohmann::json info{{"command", "import"}, {"model", spec.name}, {"input_transform", "dataset"},
                        {"source", a->onnx.empty() ? a->torchscript : a->onnx}};
    if (!a->dataset.empty()) {
      train::check_input_shape(spec, a->dataset, a->torchscript);
      info["dataset"] = train::canonical_dataset(a->dataset);
    }
    claim_output_folder(a->out);  // only now: a failed import writes nothing
    train::write_model(a->out, r.net, train::InputTransform{}, 0, info);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& g : nn::layer_geometry(spec)) layers.push_back({{"name", g.name}, {"rows", g.rows}, {"cols", g.cols}});
    info.update({{"command", command_line()}, {"parity", r.parity ? nlohmann::json(*r.parity) : nlohmann::json()},
                 {"parameters", r.parameters},
                 {"layers", spec.layers.size()}, {"weight_layers", layers}, {"ops_skipped", r.ops_skipped}});
    train::write_summary(a->out, info);
    fmt::print("imported {} layers ({} weight layers, {} parameters){}; wrote {}/model.pt and {}/summary.json\n",
               spec.layers.size(), layers.size(), r.parameters,
               r.parity ? fmt::format("; outputs match the module to {:.2g} (relative)", *r.parity) : "", a->out, a->out);
  });
}

}  // namespace xbarcut::cli
