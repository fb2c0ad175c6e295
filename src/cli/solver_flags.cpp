#include "cli/solver_flags.hpp"

#include "train/policy_gamma.hpp"

namespace xbarcut::cli {

void SolverFlags::add_to(CLI::App* cmd, bool long_runs) {
  auto& s = typed;
  given["--lr"] = cmd->add_option("--lr", s.base_lr, "base learning rate (default: the model's Caffe solver: lenet 0.01, convnet 0.001)");
  given["--lr-policy"] =
      cmd->add_option("--lr-policy", s.lr_policy, "fixed | step | multistep | inv | exp | poly | cosine (default: the model's)");
  given["--gamma"] = cmd->add_option("--gamma", s.gamma, "lr policy gamma (default: the model's, or when --lr-policy changes the policy: step/multistep 0.1, inv 1e-4, exp 0.9999)");
  given["--power"] = cmd->add_option("--power", s.power, "lr policy power (inv, poly; default 0.75)");
  given["--stepsize"] = cmd->add_option("--stepsize", s.stepsize, "iterations per step (policy step)");
  given["--stepvalues"] =
      cmd->add_option("--stepvalues", s.stepvalues, "iterations where the lr drops (policy multistep), e.g. 5000,8000")
          ->delimiter(',');
  given["--batch"] = cmd->add_option("--batch", s.batch, "batch size (default: the model's: lenet 64, convnet 100)");
  given["--momentum"] = cmd->add_option("--momentum", s.momentum, "SGD momentum (default 0.9)");
  given["--weight-decay"] =
      cmd->add_option("--weight-decay", s.weight_decay, "L2 weight decay (default: the model's: lenet 5e-4, convnet 0.004)");
  given["--seed"] = cmd->add_option("--seed", s.seed, "random seed: batch order, and initialisation in a run from scratch (default 1)");
  given["--test-interval"] =
      cmd->add_option("--test-interval", s.test_interval, "test accuracy every N iterations (0 = only at the end of the run, or of each phase)");
  given["--display"] = cmd->add_option("--display", s.display, "progress line every N iterations");
  if (!long_runs) return;
  add_checkpoint_every(cmd);
  given["--crop-pad"] = cmd->add_option("--crop-pad", s.crop_pad, "random-crop augmentation with this padding (0 = off)");
  given["--flip"] = cmd->add_flag("--flip", s.flip, "random horizontal flips");
}

void SolverFlags::add_checkpoint_every(CLI::App* cmd) {
  given["--checkpoint-every"] = cmd->add_option(
      "--checkpoint-every", typed.checkpoint_every,
      "write DIR/checkpoint.pt every N iterations, for --resume (default: the model's, 1000 or 2000; 0 = only on Ctrl-C and at the end of a run or phase)");
}

bool SolverFlags::set(const std::string& flag) const {
  const auto it = given.find(flag);
  return it != given.end() && it->second->count() > 0;
}

void SolverFlags::apply(train::SolverOptions& o) const {
  if (set("--lr-policy")) train::change_lr_policy(o, typed.lr_policy);
  if (set("--lr")) o.base_lr = typed.base_lr;
  if (set("--gamma")) o.gamma = typed.gamma;
  if (set("--power")) o.power = typed.power;
  if (set("--stepsize")) o.stepsize = typed.stepsize;
  if (set("--stepvalues")) o.stepvalues = typed.stepvalues;
  if (set("--batch")) o.batch = typed.batch;
  if (set("--momentum")) o.momentum = typed.momentum;
  if (set("--weight-decay")) o.weight_decay = typed.weight_decay;
  if (set("--seed")) o.seed = typed.seed;
  if (set("--test-interval")) o.test_interval = typed.test_interval;
  if (set("--display")) o.display = typed.display;
  if (set("--checkpoint-every")) o.checkpoint_every = typed.checkpoint_every;
  if (set("--crop-pad")) o.crop_pad = typed.crop_pad;
  if (set("--flip")) o.flip = typed.flip;
}

}  // namespace xbarcut::cli
