// `xbarcut delete`: group connection deletion (Group Scissor step 2, methods::run_group_deletion) of a checkpoint,
// usually a rank-clipped one. Several --lambda values make a sweep (Figure 8, methods/group_deletion/lambda_sweep).
#include <fmt/core.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/flag_table.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/named_values.hpp"
#include "cli/solver_flags.hpp"
#include "cli/value_checks.hpp"
#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "methods/group_deletion/lambda_sweep.hpp"
#include "nn/copy_state.hpp"
#include "train/run_files.hpp"

namespace xbarcut::cli {

namespace {

struct DeleteArgs {
  std::string checkpoint, dataset, data_dir, out, mask = "weights", lasso_step = "subgradient";
  std::vector<double> lambdas;
  std::vector<std::string> lambda_for;
  methods::GroupDeletionOptions options;
  HardwareFlags hw;
  bool no_magnitude = false, resume = false;
  int threads = 0;
  SolverFlags solver;  // solver flags the user set; the rest follow the model
};

// The model's solver without the step points of a run from scratch (convnet: 60k, 65k), then the typed flags.
train::SolverOptions solver_for(const DeleteArgs& a, const std::string& model) {
  auto o = train::default_solver(model);
  if (o.lr_policy == "multistep" && !a.solver.set("--stepvalues")) {
    o.lr_policy = "fixed";
    o.stepvalues.clear();  // so --lr-policy multistep without --stepvalues is an error, not 60k and 65k
  }
  a.solver.apply(o);
  return o;
}

void run_delete(DeleteArgs a) {
  claim_output_folder(a.out);  // before any work: an unwritable or busy folder fails now
  // Everything that can be wrong with the command line is checked before the data is loaded.
  if (a.lambdas.empty()) throw Error("--lambda needs a value (the group-Lasso strength, e.g. 0.001)");
  for (size_t i = 0; i < a.lambdas.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (a.lambdas[i] == a.lambdas[j]) throw Error(fmt::format("--lambda lists {} twice", a.lambdas[i]));
  if (a.mask != "weights" && a.mask != "groups") throw Error("--mask must be 'weights' or 'groups'");
  auto& o = a.options;
  o.lasso.step = methods::parse_lasso_step(a.lasso_step);
  for (const auto& item : a.lambda_for) o.lasso.lambda_for.insert(parse_named_number(item, "--lambda-for"));
  o.lasso.hw = a.hw.options();
  o.mask_zero_weights = a.mask == "weights";
  o.magnitude_comparison = !a.no_magnitude;
  auto ckpt = train::load_checkpoint(a.checkpoint);
  methods::RunLabels labels{ckpt.info.value("model", ckpt.net->spec().name), train::dataset_of(ckpt, a.dataset),
                            a.checkpoint, {{"command", command_line()}}};
  train::check_input_shape(ckpt.net->spec(), labels.dataset, "checkpoint " + a.checkpoint);
  o.solver = solver_for(a, labels.model);
  for (double lambda : a.lambdas) {  // bad lambdas, --lambda-for names, nothing to delete: before the data
    o.lasso.lambda = lambda;
    methods::validate(o, ckpt.net);
  }
  o.lasso.lambda = a.lambdas.front();
  if (o.lasso.step == methods::LassoStep::Subgradient && o.lasso.zero_threshold > 0 &&
      o.lasso.zero_threshold < o.solver.base_lr * o.lasso.lambda)
    fmt::print(stderr,
               "warning: --lasso-threshold {} is below lr * lambda = {}: the weights of a dead group oscillate "
               "around 0 with about that amplitude and may never be zeroed; raise --lasso-threshold\n",
               o.lasso.zero_threshold, o.solver.base_lr * o.lasso.lambda);

  // Each run's folder, and what it resumes or reuses: a checkpoint of another run fails here, before the data.
  const auto plan = methods::plan_runs(o, a.lambdas, a.out, labels, a.resume);
  const bool sweep = plan.size() > 1;
  auto base = train::open_trained_network(std::move(ckpt), a.checkpoint, labels.dataset, a.data_dir, a.threads);
  std::vector<nlohmann::json> runs;
  for (size_t i = 0; i < plan.size(); ++i) {
    const auto& p = plan[i];
    if (sweep) fmt::print(stderr, "== lambda {} ({} of {})\n", a.lambdas[i], i + 1, a.lambdas.size());
    if (!p.finished.is_null()) {
      fmt::print(stderr, "{} already holds this run (same checkpoint and options): reused\n", p.dir.string());
      runs.push_back(p.finished);
      continue;
    }
    auto net = sweep ? nn::clone(base.ckpt.net) : base.ckpt.net;  // every sweep run starts from the checkpoint
    runs.push_back(methods::delete_into(p.options, net, base.data, labels, p.dir, p.resumed ? &*p.resumed : nullptr));
  }
  if (sweep) methods::write_sweep(runs, a.lambdas, a.out, {{"command", command_line()}});
}

}  // namespace

void register_delete(CLI::App& app) {
  auto a = std::make_shared<DeleteArgs>();
  auto* cmd = app.add_subcommand("delete", "Group connection deletion: group Lasso on crossbar rows/columns, delete "
                                           "all-zero groups, fine-tune (Group Scissor step 2). Writes DIR/model.pt, "
                                           "summary.json, live_wires.png, matrices/; a sweep one folder per lambda "
                                           "(each resumes on its own) and DIR/routing_vs_error.png");
  add_trained_network_flags(cmd, a->checkpoint, a->dataset, a->data_dir, a->out);
  cmd->add_option("--lambda", a->lambdas, "group-Lasso strength for every matrix beyond one crossbar; a list "
                                          "(0.05,0.1,0.2) runs a sweep into DIR/lambda_X")
      ->required()
      ->delimiter(',');
  cmd->add_option("--lambda-for", a->lambda_for, "per-matrix override, e.g. --lambda-for fc1_u=0.002 (repeatable)");
  auto& o = a->options;
  cmd->add_option("--iters", o.iters, "group-Lasso training iterations")
      ->capture_default_str()
      ->check(integer_in(1, kMaxIterations));
  cmd->add_option("--finetune-iters", o.finetune_iters, "fine-tuning iterations with the deletion masks fixed")
      ->capture_default_str()
      ->check(integer_in(0, kMaxIterations));
  cmd->add_option("--finetune-lr", o.finetune_lr, "fine-tuning base learning rate (default: a tenth of --lr; same "
                                                  "policy as the lasso phase)");
  cmd->add_option("--finetune-stepvalues", o.finetune_stepvalues,
                  "fine-tuning lr drops (multistep, x gamma, default x0.1), counted from the phase's start, e.g. "
                  "6000,8500 (default: the lasso phase's policy, restarted)")
      ->delimiter(',');
  cmd->add_option("--distill", o.distill.weight, "fine-tuning distils the input network (ours): its softened outputs' "
                                                 "share of the loss, in [0, 1]; 0 = labels only (the paper)")->capture_default_str();
  cmd->add_option("--distill-temperature", o.distill.temperature, "softmax temperature of --distill")->capture_default_str();
  cmd->add_option("--lasso-threshold", o.lasso.zero_threshold, "after each step set |w| below this to 0 (the authors' "
                                                               "code: 1e-4)")->capture_default_str();
  cmd->add_option("--lasso-step", a->lasso_step,
                  "subgradient: eq. 6 added to the gradient (the paper) | proximal: shrink every group by lr * lambda "
                  "after each step, so groups reach exact zero")->capture_default_str();
  cmd->add_option("--lasso-adaptive", o.lasso.adaptive,
                  "adaptive group Lasso (ours): scale each group's lambda by (mean group norm / its starting norm)^"
                  "this, so weak groups go first; 0 = the paper's plain group Lasso, 1 the usual choice")->capture_default_str();
  cmd->add_option("--mask", a->mask, "weights: delete every zero weight (the paper) | groups: only all-zero groups")
      ->capture_default_str();
  cmd->add_option("--record-every", o.record_every, "live-wire record interval (iterations)")->capture_default_str();
  cmd->add_flag("--no-magnitude", a->no_magnitude, "skip the magnitude-pruning comparison");
  a->solver.add_to(cmd, /*long_runs=*/false);
  a->solver.add_augmentation(cmd);
  a->solver.add_checkpoint_every(cmd);
  add_table_switch(cmd, "--resume", a->resume);
  add_table_flag(cmd, "--threads", a->threads);
  a->hw.add_to(cmd);
  cmd->callback([a] { run_delete(*a); });
}

}  // namespace xbarcut::cli
