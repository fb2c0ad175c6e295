// Group connection deletion: lasso phase, masks, fine-tuning phase, costs.
#include "methods/group_deletion/group_deletion.hpp"

#include <fmt/core.h>

#include <chrono>
#include <filesystem>

#include "common/error.hpp"
#include "methods/collapse_guard.hpp"
#include "methods/group_deletion/deletion_masks.hpp"
#include "methods/group_deletion/magnitude_baseline.hpp"
#include "nn/copy_state.hpp"
#include "nn/crossbar_view.hpp"
#include "report/matrix_picture.hpp"
#include "report/wires_plot.hpp"
#include "train/lr_policy.hpp"
#include "train/policy_gamma.hpp"
#include "train/trainer.hpp"

namespace xbarcut::methods {

double finetune_base_lr(const GroupDeletionOptions& o) {
  return o.finetune_lr > 0 ? o.finetune_lr : o.solver.base_lr / 10;
}

train::SolverOptions finetune_solver(const GroupDeletionOptions& o) {
  auto s = o.solver;
  s.max_iter = o.finetune_iters;
  s.base_lr = finetune_base_lr(o);
  if (!o.finetune_stepvalues.empty()) {
    if (s.lr_policy != "step") train::change_lr_policy(s, "multistep");  // a step policy's gamma is a drop factor too
    s.lr_policy = "multistep";
    s.stepvalues = o.finetune_stepvalues;
  }
  return s;
}

void validate(const GroupDeletionOptions& o) {
  validate(o.lasso);
  train::validate(o.distill);
  // 0 is allowed and means "a tenth of the lasso phase's rate"; a negative rate or NaN is not.
  if (!(o.finetune_lr >= 0))
    throw Error(fmt::format("`finetune_lr` must be >= 0 (got {}); 0 or left out takes a tenth of `solver.base_lr`",
                            o.finetune_lr));
  if (o.iters < 1) throw Error(fmt::format("`iters` must be at least 1 (got {})", o.iters));
  if (o.finetune_iters < 0) throw Error(fmt::format("`finetune_iters` must be >= 0 (got {})", o.finetune_iters));
  if (o.record_every < 1) throw Error(fmt::format("`record_every` must be at least 1 (got {})", o.record_every));
  auto s = o.solver;
  s.max_iter = o.iters;
  train::validate(s);
  train::validate_stepvalues(o.finetune_stepvalues, "finetune_stepvalues");
  for (int64_t v : o.finetune_stepvalues)
    if (v < 1 || v >= o.finetune_iters)
      throw Error(fmt::format("`finetune_stepvalues` {} is outside the fine-tuning phase (1 .. `finetune_iters` {} - 1)",
                              v, o.finetune_iters));
}

void validate(const GroupDeletionOptions& o, const nn::Net& net) {
  validate(o);
  if (GroupLasso(net, o.lasso).targets().empty())
    throw Error(fmt::format("no weight matrix needs more than one {}x{} crossbar, so there are no wires to delete",
                            o.lasso.hw.xbar.rows, o.lasso.hw.xbar.cols));
}

nlohmann::json to_json(const GroupDeletionOptions& o) {
  return {{"lambda", o.lasso.lambda},
          {"lambda_for", o.lasso.lambda_for},
          {"epsilon", o.lasso.epsilon},
          {"zero_threshold", o.lasso.zero_threshold},
          {"lasso_step", to_string(o.lasso.step)},
          {"lasso_adaptive", o.lasso.adaptive},
          {"xbar", fmt::format("{}x{}", o.lasso.hw.xbar.rows, o.lasso.hw.xbar.cols)},
          {"policy", hw::to_string(o.lasso.hw.policy)},
          {"iters", o.iters},
          {"finetune_iters", o.finetune_iters},
          {"finetune_lr", finetune_base_lr(o)},
          {"finetune_stepvalues", o.finetune_stepvalues},
          {"distill", train::to_json(o.distill)},
          {"mask_zero_weights", o.mask_zero_weights},
          {"record_every", o.record_every},
          {"solver", train::to_json(o.solver)}};
}

namespace {

hw::NetworkCost network_cost(const nn::Net& net, const hw::HardwareOptions& hw) {
  return hw::cost_network(nn::network_matrices(net), nn::original_matrices(net->spec()), hw);
}

std::string wires_line(const WireHistory& h) {
  std::string s;
  for (size_t i = 0; i < h.matrices.size(); ++i)
    s += fmt::format("{}{} {:.1f}%", i ? ", " : "", h.matrices[i], 100.0 * h.live.back()[i]);
  return s;
}

// One training phase, from its start or, given `resume` (the phase's checkpoint at o.checkpoint_path), from where
// that stopped; `offset` continues the iteration count of the history across phases. Checkpoints carry `info()`.
// A `teacher` (fine-tuning with distillation only) adds its outputs to the loss.
double train_phase(nn::Net& net, const GroupDeletionOptions& o, int64_t iters, int64_t offset,
                   const train::Checkpoint* resume, const GroupLasso& lasso, bool regularise,
                   const std::function<nlohmann::json()>& info,
                   const train::TensorDataset& train, const train::TensorDataset& test,
                   const train::InputTransform& input, WireHistory& history, nn::Net teacher = nullptr) {
  auto solver = regularise ? o.solver : finetune_solver(o);
  solver.max_iter = iters;
  if (o.checkpoint_path.empty()) solver.checkpoint_every = 0;
  train::TrainHooks hooks;
  if (regularise && !lasso.proximal()) hooks.after_backward = [&](int64_t) { lasso.add_gradients(); };
  hooks.after_step = [&](int64_t iter) {
    if (regularise && lasso.proximal()) lasso.proximal_step(train::learning_rate(solver, iter));
    if (regularise) lasso.zero_small_weights();
    const int64_t done = iter + 1;
    if (done % o.record_every == 0 || done == iters) {
      net->apply_masks();  // the trainer masks after this hook; count what the step leaves
      history.record(offset + done, lasso);
      if (solver.display > 0 && done % solver.display == 0)
        fmt::print(stderr, "live wires at {}: {}\n", offset + done, wires_line(history));
    }
  };
  hooks.on_test = [&](int64_t iter, double acc) {
    // A run resumed from the phase's last checkpoint tests its end again: keep one record of it.
    if (history.accuracy.empty() || history.accuracy.back().first != offset + iter)
      history.accuracy.emplace_back(offset + iter, acc);
  };
  hooks.checkpoint_info = info;
  if (teacher) {
    hooks.loss = [&](const torch::Tensor& x, const torch::Tensor& logits, const torch::Tensor& labels) {
      torch::Tensor taught;
      {
        torch::NoGradGuard no_grad;
        taught = teacher->forward(x);
      }
      return train::distillation_loss(logits, taught, labels, o.distill);
    };
  }
  train::Trainer trainer(net, solver, train, test, input, o.checkpoint_path, hooks);
  if (resume) trainer.resume_from(*resume, o.checkpoint_path);
  return trainer.run().accuracy;
}

nlohmann::json matrices_json(const hw::NetworkCost& cost, const std::map<std::string, double>& lambdas) {
  auto out = nlohmann::json::array();
  for (const auto& m : cost.matrices) {
    const auto lambda = lambdas.find(m.name);
    const double size = static_cast<double>(m.rows * m.cols);
    out.push_back({{"name", m.name},
                   {"rows", m.rows},
                   {"cols", m.cols},
                   {"xbar", fmt::format("{}x{}", m.xbar_rows, m.xbar_cols)},
                   {"big", m.big},
                   {"regularised", lambda != lambdas.end()},
                   {"lambda", lambda != lambdas.end() ? lambda->second : 0.0},
                   {"sparsity", 1.0 - static_cast<double>(m.nonzero_cells) / size},
                   {"crossbars", m.crossbars},
                   {"nonempty_crossbars", m.nonempty_crossbars},
                   {"wires", m.wires},
                   {"live_wires", m.live_wires},
                   {"live_wires_ratio", m.live_wires_ratio},
                   {"routing_area_ratio", m.routing_area_ratio}});
  }
  return out;
}

nlohmann::json cost_json(const hw::NetworkCost& c, const std::map<std::string, double>& lambdas) {
  return {{"crossbar_area_ratio", c.crossbar_area_ratio},
          {"crossbar_area_ratio_nonempty", c.nonempty_area_ratio},
          {"crossbar_area_ratio_compacted", c.compacted_area_ratio},
          {"routing_area_ratio", c.routing_area_ratio},
          {"live_wires_mean", c.live_wires_mean},
          {"routing_area_total_ratio", c.routing_area_total_ratio},
          {"matrices", matrices_json(c, lambdas)}};
}

}  // namespace

GroupDeletionResult run_group_deletion(const GroupDeletionOptions& o, nn::Net net, const train::TensorDataset& train,
                                       const train::TensorDataset& test, const train::InputTransform& input,
                                       const train::Checkpoint* resume) {
  validate(o, net);
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& name : net->grouped_layers())
    fmt::print(stderr, "note: {} is a grouped convolution; {} leaves it dense\n", name, "group deletion");
  GroupLasso lasso(net, o.lasso);  // from the input network, also when resuming: the adaptive weights come from it
  GroupDeletionResult r;
  for (const auto& t : lasso.targets()) {
    r.regularised.push_back(t.name);
    r.lambdas[t.name] = t.lambda;
  }
  r.start_cost = network_cost(net, o.lasso.hw);
  r.baseline_accuracy = train::evaluate(net, test);
  fmt::print(stderr, "group deletion: baseline accuracy {:.4f}; regularising {} matrices\n", r.baseline_accuracy,
             r.regularised.size());
  nn::Net start = o.magnitude_comparison ? nn::clone(net) : nn::Net(nullptr);
  // The input network, frozen, teaches the fine-tuning phase (also on resume: `net` is still the input here).
  nn::Net teacher = o.distill.weight > 0 && o.finetune_iters > 0 ? nn::clone(net) : nn::Net(nullptr);
  if (teacher) {
    if (net->spec().is_conv_net()) teacher->use_channels_last();
    teacher->eval();
  }

  std::string phase = "lasso";
  const train::Checkpoint* phase_resume = resume;  // the phase the run stopped in continues from it
  double prior_seconds = 0;  // of the run before a resume, so the summary's "seconds" is the whole run's
  if (resume) {
    phase = resume->info.value("phase", "");
    if ((phase != "lasso" && phase != "finetune") || !resume->info.contains("history"))
      throw Error(o.checkpoint_path + " is not a checkpoint of group deletion; delete it to start over");
    r.history = WireHistory::from_json(resume->info.at("history"));
    r.lasso_accuracy = resume->info.value("lasso_accuracy", 0.0);
    r.deleted_weights = resume->info.value("deleted_weights", int64_t{0});
    prior_seconds = resume->info.value("seconds", 0.0);
    nn::copy_state(resume->net, net);
    fmt::print(stderr, "resuming from {}: {} phase, iteration {}\n", o.checkpoint_path,
               phase == "lasso" ? "group-Lasso" : "fine-tuning", resume->iter);
  } else {
    r.history.record(0, lasso);
    r.history.accuracy.emplace_back(0, r.baseline_accuracy);
  }
  auto info = [&](const char* name) {
    return [&, name] {
      auto j = o.checkpoint_info;
      j["phase"] = name;
      j["history"] = r.history.to_json();
      j["lasso_accuracy"] = r.lasso_accuracy;
      j["deleted_weights"] = r.deleted_weights;
      // The whole run's time (both phases, evaluations, mask fixing); the trainer adds its phase's own
      // "train_seconds", which only that phase's resume reads.
      j["seconds"] = prior_seconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      return j;
    };
  };

  if (phase == "lasso") {
    r.lasso_accuracy = train_phase(net, o, o.iters, 0, phase_resume, lasso, true, info("lasso"), train, test, input,
                                   r.history);
    r.deleted_weights = fix_deletion_masks(lasso, o.mask_zero_weights);
    r.history.deletion_iter = o.iters;
    fmt::print(stderr, "deleted {} weights; live wires {}\n", r.deleted_weights, wires_line(r.history));
    phase_resume = nullptr;
  }
  r.accuracy = o.finetune_iters > 0 ? train_phase(net, o, o.finetune_iters, o.iters, phase_resume, lasso, false,
                                                  info("finetune"), train, test, input, r.history, teacher)
                                    : train::evaluate(net, test);
  refuse_collapse(net, r.accuracy, r.baseline_accuracy, output_classes(net), "group deletion",
                  "Delete less (a lower --lambda, or --lambda-for for the layer named) or fine-tune longer");
  r.cost = network_cost(net, o.lasso.hw);

  if (o.magnitude_comparison) {
    magnitude_prune(start, zero_counts(net, r.regularised));
    MagnitudeComparison m;
    m.accuracy = train::evaluate(start, test);
    m.cost = network_cost(start, o.lasso.hw);
    r.magnitude = m;
  }
  r.seconds = prior_seconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

nlohmann::json to_json(const GroupDeletionResult& r) {
  auto j = cost_json(r.cost, r.lambdas);
  j["accuracy"] = r.accuracy;
  j["baseline_accuracy"] = r.baseline_accuracy;
  j["lasso_accuracy"] = r.lasso_accuracy;
  j["deleted_weights"] = r.deleted_weights;
  j["regularised"] = r.regularised;
  j["start"] = cost_json(r.start_cost, r.lambdas);
  j["history"] = r.history.to_json();
  j["seconds"] = r.seconds;
  if (r.magnitude) {
    auto m = cost_json(r.magnitude->cost, r.lambdas);
    m["accuracy"] = r.magnitude->accuracy;
    m["note"] = "one-shot magnitude pruning of the input network to the same per-matrix sparsity, no retraining";
    j["magnitude_pruned"] = m;
  }
  return j;
}

std::vector<std::string> write_deletion_figures(const GroupDeletionResult& r, const nn::Net& net,
                                                const hw::HardwareOptions& hw, const std::string& dir) {
  const auto& h = r.history;
  report::WiresPlot plot;
  plot.iters = h.iters;
  plot.deletion_iter = h.deletion_iter;
  for (size_t i = 0; i < h.matrices.size(); ++i) {
    report::WiresSeries s{h.matrices[i], {}};
    for (const auto& row : h.live) s.percent.push_back(100.0 * row[i]);
    plot.series.push_back(std::move(s));
  }
  for (const auto& [iter, acc] : h.accuracy) plot.accuracy_percent.emplace_back(iter, 100.0 * acc);
  const auto wires = (std::filesystem::path(dir) / "live_wires.png").string();
  report::write_wires_plot(plot, wires);
  auto files = report::write_matrix_pictures(nn::network_matrices(net), hw, (std::filesystem::path(dir) / "matrices").string());
  files.insert(files.begin(), wires);
  return files;
}

}  // namespace xbarcut::methods
