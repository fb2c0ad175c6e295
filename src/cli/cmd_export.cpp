// `xbarcut export`: every crossbar's conductance pair (G+, G-) and a manifest, for circuit simulators.
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/flag_table.hpp"
#include "cli/hardware_flags.hpp"
#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "nn/crossbar_view.hpp"
#include "nn/export_torchscript.hpp"
#include "nn/onnx_model.hpp"
#include "report/crossbar_export.hpp"
#include "train/checkpoint.hpp"

namespace xbarcut::cli {

void register_export(CLI::App& app) {
  struct Args {
    std::string checkpoint, out, format = "npy", torchscript, onnx;
    report::ExportOptions conductance;
    HardwareFlags hw;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("export", "Write each crossbar's conductance matrices (G+/G-) and a JSON manifest "
                                           "into DIR, or (--torchscript) the network for PyTorch's torch.jit.load");
  add_table_flag(cmd, "--checkpoint", a->checkpoint)->required();
  auto* ts = cmd->add_option("--torchscript", a->torchscript, "write the network as TorchScript to this file");
  auto* ox = cmd->add_option("--onnx", a->onnx, "write the network as ONNX (opset 14) to this file")->excludes(ts);
  add_table_flag(cmd, "--out", a->out)->excludes(ts)->excludes(ox);
  cmd->add_option("--format", a->format, "npy | csv")->capture_default_str();
  cmd->add_option("--g-on", a->conductance.g_on, "conductance of the on state, siemens")->capture_default_str();
  cmd->add_option("--g-off", a->conductance.g_off, "conductance of the off state, siemens")->capture_default_str();
  cmd->add_option("--levels", a->conductance.levels, "programmable conductance levels per device")->capture_default_str();
  a->hw.add_to(cmd);
  cmd->callback([a] {
    if (!a->torchscript.empty()) {
      const auto ckpt = train::load_checkpoint(a->checkpoint);
      nn::export_torchscript(ckpt.net, a->torchscript, ckpt.input.scale, ckpt.input.mean, ckpt.input.channel_scale);
      return fmt::print("wrote {} (load it in PyTorch with torch.jit.load)\n", a->torchscript);
    }
    if (!a->onnx.empty()) {
      nn::export_onnx(train::load_checkpoint(a->checkpoint).net, a->onnx);
      return fmt::print("wrote {} (ONNX opset 14; inputs normalised as the checkpoint's)\n", a->onnx);
    }
    if (a->out.empty()) throw Error("give --out DIR for the crossbar files, or --torchscript FILE");
    auto options = a->conductance;
    options.format = report::parse_export_format(a->format);
    report::validate(options);
    const auto hw = a->hw.options();
    auto ckpt = train::load_checkpoint(a->checkpoint);
    claim_output_folder(a->out);
    const auto result = report::export_crossbars(nn::network_matrices(ckpt.net), hw, a->out, options);
    fmt::print("wrote {} crossbars ({} files) and {}\n", result.tiles, result.files.size(), result.manifest_path);
  });
}

}  // namespace xbarcut::cli
