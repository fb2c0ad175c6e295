// `xbarcut delete`: group connection deletion (Group Scissor step 2) of a checkpoint, usually a rank-clipped one:
// group-Lasso training, deletion masks, fine-tuning; writes DIR/model.pt, DIR/summary.json and pictures.
// Several --lambda values make a sweep (Figure 8): one run per lambda in DIR/lambda_X, the data loaded once,
// and DIR/summary.json + DIR/routing_vs_error.png over all of them.
#include <filesystem>
#include <fstream>
#include <optional>

#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/resume_point.hpp"
#include "cli/run_support.hpp"
#include "cli/solver_flags.hpp"
#include "common/error.hpp"
#include "data/dataset_info.hpp"
#include "methods/group_deletion/group_deletion.hpp"
#include "methods/group_deletion/magnitude_baseline.hpp"
#include "nn/crossbar_view.hpp"
#include "report/cost_report.hpp"
#include "report/wires_plot.hpp"
#include "train/checkpoint.hpp"

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

// "fc1_u=0.002" -> (fc1_u, 0.002)
std::pair<std::string, double> parse_override(const std::string& item) {
  const auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0) throw Error("bad --lambda-for '" + item + "': use matrix=lambda, e.g. fc1_u=0.002");
  try {
    size_t used = 0;
    const double v = std::stod(item.substr(eq + 1), &used);
    if (used != item.size() - eq - 1) throw std::invalid_argument(item);
    return {item.substr(0, eq), v};
  } catch (const std::logic_error&) {
    throw Error("bad --lambda-for '" + item + "': the lambda must be a number");
  }
}

train::SolverOptions solver_for(const DeleteArgs& a, const std::string& model) {
  auto o = train::default_solver(model);
  // The model's own step points (convnet: 60k, 65k) belong to a run from scratch, not to a deletion run.
  if (o.lr_policy == "multistep" && !a.solver.set("--stepvalues")) {
    o.lr_policy = "fixed";
    o.stepvalues.clear();  // so --lr-policy multistep without --stepvalues is an error, not 60k and 65k
  }
  a.solver.apply(o);
  return o;
}

// `o` with the checkpoints of a run into `out`: DIR/checkpoint.pt, and what a later --resume is checked against.
methods::GroupDeletionOptions with_checkpoints(methods::GroupDeletionOptions o, const std::filesystem::path& out,
                                               const std::string& model, const std::string& dataset,
                                               const std::string& checkpoint) {
  o.checkpoint_path = (out / "checkpoint.pt").string();
  o.checkpoint_info = {{"command", "delete"}, {"model", model}, {"dataset", dataset}, {"from", checkpoint},
                       // what a resume must match; the solver's JSON leaves out display and checkpoint intervals
                       {"settings", methods::to_json(o)}};
  return o;
}

// One deletion run of `net` (modified in place) into `out`, continuing `resumed` when given; returns its summary.
// DIR/checkpoint.pt holds the run while it trains and is removed once model.pt is written.
nlohmann::json delete_once(const methods::GroupDeletionOptions& o, nn::Net& net, const LoadedData& data,
                           const std::string& model, const std::string& dataset, const std::string& checkpoint,
                           const std::filesystem::path& out, const std::optional<train::Checkpoint>& resumed) {
  std::filesystem::create_directories(out);
  const auto result =
      methods::run_group_deletion(o, net, data.train, data.test, data.input, resumed ? &*resumed : nullptr);

  train::Checkpoint final_ckpt;
  final_ckpt.net = net;
  final_ckpt.input = data.input;
  final_ckpt.iter = o.iters + o.finetune_iters;
  final_ckpt.info = {{"command", "delete"}, {"model", model}, {"dataset", dataset}, {"accuracy", result.accuracy},
                     {"from", checkpoint}, {"delete", methods::to_json(o)}};
  train::save_checkpoint((out / "model.pt").string(), final_ckpt);
  std::filesystem::remove(o.checkpoint_path);

  auto summary = methods::to_json(result);
  summary["command"] = command_line();
  summary["checkpoint"] = checkpoint;
  summary["model"] = model;
  summary["dataset"] = dataset;
  summary["options"] = methods::to_json(o);
  if (resumed) summary["resumed_from"] = {{"phase", resumed->info.at("phase")}, {"iter", resumed->iter}};
  summary["machine"] = machine_info();
  write_json((out / "summary.json").string(), summary);
  const auto figures = methods::write_deletion_figures(result, net, o.lasso.hw, out.string());

  fmt::print("{}", report::cost_table(result.cost));
  fmt::print("accuracy {:.4f} (baseline {:.4f}); crossbar area {:.2f}% (empty crossbars removed {:.2f}%, compacted "
             "{:.2f}%); routing area {:.2f}%\n",
             result.accuracy, result.baseline_accuracy, 100 * result.cost.crossbar_area_ratio,
             100 * result.cost.nonempty_area_ratio, 100 * result.cost.compacted_area_ratio,
             100 * result.cost.routing_area_ratio);
  if (result.magnitude)
    fmt::print("magnitude pruning at the same sparsity (no retraining): accuracy {:.4f}, routing area {:.2f}%\n",
               result.magnitude->accuracy, 100 * result.magnitude->cost.routing_area_ratio);
  fmt::print("wrote {}/model.pt, {}/summary.json, {}/live_wires.png and {} matrix pictures in {}/matrices\n",
             out.string(), out.string(), out.string(), figures.size() - 1, out.string());
  return summary;
}

// The sweep's own folder name for one lambda: lambda_0.005 (shortest exact decimal form).
std::string lambda_folder(double lambda) { return fmt::format("lambda_{}", lambda); }

// A finished run of the same sweep point (same checkpoint, dataset and options) left by an earlier, interrupted or
// extended sweep, so a sweep can be resumed or widened without redoing its runs; null when there is none.
nlohmann::json finished_run(const std::filesystem::path& dir, const methods::GroupDeletionOptions& o,
                            const std::string& checkpoint, const std::string& dataset) {
  std::ifstream in(dir / "summary.json");
  if (!in || !std::filesystem::exists(dir / "model.pt")) return nullptr;
  const auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || j.value("checkpoint", "") != checkpoint || j.value("dataset", "") != dataset ||
      !j.contains("options") || j["options"] != methods::to_json(o))
    return nullptr;
  return j;
}

// DIR/summary.json with one row per lambda, a Markdown table on stdout and the Figure 8 picture.
void write_sweep(const std::vector<nlohmann::json>& runs, const std::vector<double>& lambdas,
                 const std::filesystem::path& out) {
  nlohmann::json rows = nlohmann::json::array();
  std::vector<report::RoutingErrorPoint> points;
  const double baseline = runs.front().at("baseline_accuracy").get<double>();
  std::string table = "| lambda | test accuracy | routing area | crossbar area (empty removed) | live wires |\n"
                      "|---|---|---|---|---|\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i];
    nlohmann::json wires = nlohmann::json::object();
    std::string wire_text;
    for (const auto& m : r.at("matrices"))
      if (m.value("regularised", false)) {
        wires[m.at("name").get<std::string>()] = m.at("live_wires_ratio");
        wire_text += fmt::format("{}{} {:.1f} %", wire_text.empty() ? "" : ", ", m.at("name").get<std::string>(),
                                 100 * m.at("live_wires_ratio").get<double>());
      }
    const double acc = r.at("accuracy").get<double>(), routing = r.at("routing_area_ratio").get<double>();
    const double xbars = r.at("crossbar_area_ratio_nonempty").get<double>();
    rows.push_back({{"lambda", lambdas[i]}, {"folder", lambda_folder(lambdas[i])}, {"accuracy", acc},
                    {"lasso_accuracy", r.value("lasso_accuracy", 0.0)}, {"routing_area_ratio", routing},
                    {"crossbar_area_ratio", r.at("crossbar_area_ratio")}, {"crossbar_area_ratio_nonempty", xbars},
                    {"crossbar_area_ratio_compacted", r.at("crossbar_area_ratio_compacted")},
                    {"live_wires_ratio", wires}});
    points.push_back({lambdas[i], 1 - acc, routing, xbars});
    table += fmt::format("| {} | {:.2f} % | {:.2f} % | {:.2f} % | {} |\n", lambdas[i], 100 * acc, 100 * routing,
                         100 * xbars, wire_text);
  }
  nlohmann::json summary{{"baseline_accuracy", baseline}, {"sweep", rows}, {"command", command_line()},
                         {"options", runs.front().at("options")}, {"machine", machine_info()}};
  summary["options"].erase("lambda");
  write_json((out / "summary.json").string(), summary);
  report::write_routing_error_plot(points, 1 - baseline, (out / "routing_vs_error.png").string());
  fmt::print("\nlambda sweep (baseline accuracy {:.4f}):\n{}wrote {}/summary.json and {}/routing_vs_error.png\n",
             baseline, table, out.string(), out.string());
}

void run_delete(DeleteArgs a) {
  // Everything that can be wrong with the command line is checked before the data is loaded.
  if (a.lambdas.empty()) throw Error("--lambda needs a value (the group-Lasso strength, e.g. 0.001)");
  for (double l : a.lambdas)
    if (!(l >= 0)) throw Error(fmt::format("--lambda must be >= 0 (got {}); it is the group-Lasso strength, e.g. 0.001", l));
  for (size_t i = 0; i < a.lambdas.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (a.lambdas[i] == a.lambdas[j]) throw Error(fmt::format("--lambda lists {} twice", a.lambdas[i]));
  if (a.mask != "weights" && a.mask != "groups") throw Error("--mask must be 'weights' or 'groups'");
  auto& o = a.options;
  o.lasso.step = methods::parse_lasso_step(a.lasso_step);
  o.lasso.lambda = a.lambdas.front();
  for (const auto& item : a.lambda_for) o.lasso.lambda_for.insert(parse_override(item));
  o.lasso.hw = a.hw.options();
  o.mask_zero_weights = a.mask == "weights";
  o.magnitude_comparison = !a.no_magnitude;
  auto ckpt = train::load_checkpoint(a.checkpoint);
  const auto spec = ckpt.net->spec();
  const std::string model = ckpt.info.value("model", spec.name);
  const std::string dataset = !a.dataset.empty() ? a.dataset : ckpt.info.value("dataset", std::string());
  if (dataset.empty()) throw Error("--dataset is required: " + a.checkpoint + " does not say what it was trained on");
  const auto shape = data::input_shape(dataset);
  if (std::vector<int64_t>{shape.channels, shape.height, shape.width} != spec.input ||
      data::num_classes(dataset) != spec.classes)
    throw Error("checkpoint " + a.checkpoint + " was made for another input shape than " + dataset + "'s");
  o.solver = solver_for(a, model);
  if (o.lasso.step == methods::LassoStep::subgradient && o.lasso.zero_threshold > 0 &&
      o.lasso.zero_threshold < o.solver.base_lr * o.lasso.lambda)
    fmt::print(stderr,
               "warning: --lasso-threshold {} is below lr * lambda = {}: the weights of a dead group oscillate "
               "around 0 with about that amplitude and may never be zeroed; raise --lasso-threshold\n",
               o.lasso.zero_threshold, o.solver.base_lr * o.lasso.lambda);
  methods::validate(o, ckpt.net);  // bad --lambda-for names, nothing to delete: before the data is loaded

  // Each run's folder, and what it resumes or reuses: a checkpoint of another run fails here, before the data.
  struct PlannedRun {
    methods::GroupDeletionOptions options;
    std::filesystem::path dir;
    nlohmann::json finished;  // a finished run of the same sweep point, or null
    std::optional<train::Checkpoint> resumed;
  };
  const std::filesystem::path out(a.out);
  const bool sweep = a.lambdas.size() > 1;
  std::vector<PlannedRun> plan;
  for (double lambda : a.lambdas) {
    PlannedRun p{o, sweep ? out / lambda_folder(lambda) : out, nullptr, std::nullopt};
    p.options.lasso.lambda = lambda;
    if (sweep) p.finished = finished_run(p.dir, p.options, a.checkpoint, dataset);
    if (p.finished.is_null()) {
      p.options = with_checkpoints(p.options, p.dir, model, dataset, a.checkpoint);
      p.resumed = resume_point(p.options.checkpoint_path, a.resume, p.options.checkpoint_info);
    }
    plan.push_back(std::move(p));
  }

  setup_threads(a.threads);
  fmt::print(stderr, "loading {} ...\n", dataset);
  auto data = load_data(dataset, a.data_dir, &ckpt.input);
  if (spec.is_conv_net()) ckpt.net->use_channels_last();
  if (!sweep) {
    delete_once(plan[0].options, ckpt.net, data, model, dataset, a.checkpoint, out, plan[0].resumed);
    return;
  }
  std::vector<nlohmann::json> runs;
  for (size_t i = 0; i < plan.size(); ++i) {
    const auto& p = plan[i];
    fmt::print(stderr, "== lambda {} ({} of {})\n", a.lambdas[i], i + 1, a.lambdas.size());
    if (!p.finished.is_null()) {
      fmt::print(stderr, "{} already holds this run (same checkpoint and options): reused\n", p.dir.string());
      runs.push_back(p.finished);
      continue;
    }
    auto net = methods::clone_net(ckpt.net);  // every run starts from the checkpoint
    if (spec.is_conv_net()) net->use_channels_last();
    runs.push_back(delete_once(p.options, net, data, model, dataset, a.checkpoint, p.dir, p.resumed));
  }
  write_sweep(runs, a.lambdas, out);
}

}  // namespace

void register_delete(CLI::App& app) {
  auto a = std::make_shared<DeleteArgs>();
  auto* cmd = app.add_subcommand("delete", "Group connection deletion: group Lasso on crossbar rows/columns, delete "
                                           "all-zero groups, fine-tune (Group Scissor step 2)");
  cmd->add_option("--checkpoint", a->checkpoint, "model.pt to start from (rank-clipped or dense)")->required();
  cmd->add_option("--dataset", a->dataset, "mnist | fashion-mnist | cifar10 | cifar10-grey (default: the checkpoint's)");
  cmd->add_option("--data-dir", a->data_dir, "folder holding the datasets (else $XBARCUT_DATA)");
  cmd->add_option("--out", a->out, "output folder for model.pt and summary.json")->required();
  cmd->add_option("--lambda", a->lambdas,
                  "group-Lasso strength for every matrix beyond one crossbar; a list (0.05,0.1,0.2) runs a sweep "
                  "into DIR/lambda_X with DIR/routing_vs_error.png")
      ->required()
      ->delimiter(',');
  cmd->add_option("--lambda-for", a->lambda_for, "per-matrix override, e.g. --lambda-for fc1_u=0.002 (repeatable)");
  auto& o = a->options;
  cmd->add_option("--iters", o.iters, "group-Lasso training iterations")->capture_default_str();
  cmd->add_option("--finetune-iters", o.finetune_iters, "fine-tuning iterations with the deletion masks fixed")
      ->capture_default_str();
  cmd->add_option("--finetune-lr", o.finetune_lr,
                  "fine-tuning base learning rate (default: a tenth of --lr; same policy as the lasso phase)");
  cmd->add_option("--finetune-stepvalues", o.finetune_stepvalues,
                  "fine-tuning lr drops (multistep, x gamma, default x0.1), counted from the phase's start, e.g. "
                  "6000,8500 (default: the lasso phase's policy, restarted)")
      ->delimiter(',');
  cmd->add_option("--distill", o.distill.weight,
                  "knowledge distillation in the fine-tuning phase (ours): share of the input network's softened "
                  "outputs in the loss, in [0, 1]; 0 = labels only (the paper)")
      ->capture_default_str();
  cmd->add_option("--distill-temperature", o.distill.temperature, "softmax temperature of --distill")
      ->capture_default_str();
  cmd->add_option("--lasso-threshold", o.lasso.zero_threshold,
                  "after each step set |w| below this to 0 (the authors' code: 1e-4)")
      ->capture_default_str();
  cmd->add_option("--lasso-step", a->lasso_step,
                  "subgradient: eq. 6 added to the gradient (the paper) | proximal: shrink every group by lr * lambda "
                  "after each step, so groups reach exact zero")
      ->capture_default_str();
  cmd->add_option("--lasso-adaptive", o.lasso.adaptive,
                  "adaptive group Lasso (ours): scale each group's lambda by (mean group norm / its starting norm)^"
                  "this, so weak groups go first and strong ones shrink less; 0 = the paper's plain group Lasso, 1 the "
                  "usual choice")
      ->capture_default_str();
  cmd->add_option("--mask", a->mask, "weights: delete every zero weight (the paper) | groups: only all-zero groups")
      ->capture_default_str();
  cmd->add_option("--record-every", o.record_every, "live-wire record interval (iterations)")->capture_default_str();
  cmd->add_flag("--no-magnitude", a->no_magnitude, "skip the magnitude-pruning comparison");
  a->solver.add_to(cmd, /*long_runs=*/false);
  a->solver.add_checkpoint_every(cmd);
  cmd->add_flag("--resume", a->resume,
                "continue an interrupted run (Ctrl-C, a crash) from DIR/checkpoint.pt: same command, same result "
                "as an unbroken run; in a sweep, each lambda's own folder");
  cmd->add_option("--threads", a->threads, "CPU threads (default: all)");
  a->hw.add_to(cmd);
  cmd->callback([a] { run_delete(*a); });
}

}  // namespace xbarcut::cli
