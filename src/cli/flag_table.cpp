#include "cli/flag_table.hpp"

#include <stdexcept>

#include "cli/dataset_flags.hpp"
#include "cli/value_checks.hpp"

namespace xbarcut::cli {

const std::vector<TableFlag>& flag_table() {
  static const std::vector<TableFlag> table = {
      // Where the network and the data come from, where the results go.
      {"--checkpoint", "a model.pt written by xbarcut (train, clip, delete, ...)", false},
      {"--dataset",
       "mnist | fashion-mnist | cifar10 | cifar10-grey | cifar100 | cifar100-coarse, or your data: images:DIR, "
       "npz:FILE, npy:DIR (docs/data.md) (default: the checkpoint's; fashion-mnist for a new model)",
       false},
      {"--data-dir",
       "folder holding mnist/, fashion-mnist/, cifar10/ (else $XBARCUT_DATA, else /usr/share/datasets for "
       "fashion-mnist)",
       false},
      // How the user's own data is read (images:DIR, npz:FILE, npy:DIR); stored with the dataset in checkpoints.
      {"--resize", "images: resize every image to HxW (bilinear; default: the checkpoint's input, else as stored)",
       false},
      {"--crop", "images: then keep the centre HxW", false},
      {"--channels", "1 (grey) or 3 (colour) (default: the checkpoint's; else 3 when any image has colour)", false},
      {"--bad-images", "images: refuse | skip an unreadable image (default refuse, naming it)", false},
      {"--layout", "npz/npy: auto | nchw | nhwc (default auto: from the channel count)", false},
      {"--mean", "per-channel mean in 0..1 units, e.g. 0.49,0.48,0.45 (default: the training set's)", false},
      {"--std", "per-channel std in 0..1 units (default: the training set's)", false},
      {"--out", "output folder, created if missing (the command's description lists what it writes)", false,
       non_empty_path},
      {"--threads", "CPU threads, 1 to 4x the hardware threads (default: all hardware threads)", false, thread_count},
      {"--resume",
       "continue an interrupted run (Ctrl-C, a crash) from DIR/checkpoint.pt; same options, same result as an "
       "unbroken run",
       false},
      // The crossbar model.
      {"--xbar", "largest crossbar, rows x columns, e.g. 64x64 (default 64x64, xbprune 256x256; prune and trannsform map onto square crossbars and also take N for N x N)",
       false},
      {"--policy", "tiling: divisor (Group Scissor's rule) | fixed (max tiles, padded) (default divisor, xbprune fixed)",
       false},
      {"--zero-threshold", "|w| at or below this is no connection in the crossbar model", true},
      {"--feature-size", "feature size F; areas are in F^2 (cell = 4 F^2)", true},
      {"--adc-pj", "energy of one ADC conversion, pJ (default: ISAAC-derived, docs/hardware_model.md)", false},
      {"--dac-pj", "energy of one DAC input drive, pJ (default: docs/hardware_model.md)", false},
      {"--cell-pj", "energy of one cell read, pJ (default: docs/hardware_model.md)", false},
      // The SGD solver: a typed flag overrides the command's solver (train: the model's Caffe solver).
      {"--lr", "base learning rate (default: the command's solver; lenet 0.01, convnet 0.001)", false},
      {"--lr-policy", "fixed | step | multistep | inv | exp | poly | cosine (default: the command's solver)", false},
      {"--gamma",
       "lr policy gamma (default: the solver's, or when --lr-policy changes the policy: step/multistep 0.1, inv "
       "1e-4, exp 0.9999)",
       false},
      {"--power", "lr policy power (inv, poly; default 0.75)", false},
      {"--stepsize", "iterations per step (policy step)", false},
      {"--stepvalues", "iterations where the lr drops (policy multistep), e.g. 5000,8000", false},
      {"--batch", "batch size (default: the command's solver; lenet 64, convnet 100)", false},
      {"--momentum", "SGD momentum (default 0.9)", false},
      {"--weight-decay", "L2 weight decay (default: the command's solver; lenet 5e-4, convnet 0.004)", false},
      {"--seed", "random seed: batch order, projections, and initialisation in a run from scratch (default 1)", false},
      {"--test-interval",
       "test accuracy every N iterations (0 = only at the end of the run, or of each phase)", false},
      {"--display", "progress line every N iterations (default 100)", false},
      {"--checkpoint-every",
       "write DIR/checkpoint.pt every N iterations, for --resume (default: the model's, 1000 or 2000; 0 = only on "
       "Ctrl-C and at the end of a run or phase)",
       false},
      {"--crop-pad", "random-crop augmentation with this padding (0 = off; 4 for CIFAR)", false},
      {"--flip", "random horizontal flips", false},
  };
  return table;
}

const TableFlag& table_flag(const std::string& name) {
  for (const auto& f : flag_table())
    if (name == f.name) return f;
  throw std::logic_error("flag " + name + " is not in the flag table");
}

CLI::Option* add_table_switch(CLI::App* cmd, const std::string& name, bool& target) {
  return cmd->add_flag(table_flag(name).name, target, table_flag(name).help);
}

void add_trained_network_flags(CLI::App* cmd, std::string& checkpoint, std::string& dataset, std::string& data_dir,
                               std::string& out) {
  add_table_flag(cmd, "--checkpoint", checkpoint)->required();
  add_dataset_flags(cmd, dataset, data_dir);
  add_table_flag(cmd, "--out", out)->required();
}

}  // namespace xbarcut::cli
