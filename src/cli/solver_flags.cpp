#include "cli/solver_flags.hpp"

#include "cli/flag_table.hpp"
#include "train/policy_gamma.hpp"

namespace xbarcut::cli {

void SolverFlags::add_to(CLI::App* cmd, bool long_runs) {
  auto& s = typed;
  given["--lr"] = add_table_flag(cmd, "--lr", s.base_lr);
  given["--lr-policy"] = add_table_flag(cmd, "--lr-policy", s.lr_policy);
  given["--gamma"] = add_table_flag(cmd, "--gamma", s.gamma);
  given["--power"] = add_table_flag(cmd, "--power", s.power);
  given["--stepsize"] = add_table_flag(cmd, "--stepsize", s.stepsize);
  given["--stepvalues"] = add_table_flag(cmd, "--stepvalues", s.stepvalues)->delimiter(',');
  given["--batch"] = add_table_flag(cmd, "--batch", s.batch);
  given["--momentum"] = add_table_flag(cmd, "--momentum", s.momentum);
  given["--weight-decay"] = add_table_flag(cmd, "--weight-decay", s.weight_decay);
  given["--seed"] = add_table_flag(cmd, "--seed", s.seed);
  given["--test-interval"] = add_table_flag(cmd, "--test-interval", s.test_interval);
  given["--display"] = add_table_flag(cmd, "--display", s.display);
  if (!long_runs) return;
  add_checkpoint_every(cmd);
  add_augmentation(cmd);
}

void SolverFlags::add_augmentation(CLI::App* cmd) {
  given["--crop-pad"] = add_table_flag(cmd, "--crop-pad", typed.crop_pad);
  given["--flip"] = add_table_switch(cmd, "--flip", typed.flip);
}

void SolverFlags::add_checkpoint_every(CLI::App* cmd) {
  given["--checkpoint-every"] = add_table_flag(cmd, "--checkpoint-every", typed.checkpoint_every);
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
