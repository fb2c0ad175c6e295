// `xbarcut xbprune`: crossbar-aware pruning (L0-constrained SGD with relaxant probabilistic projection, then
// masked fine-tuning) of a trained checkpoint; writes DIR/model.pt and DIR/summary.json.
#include <filesystem>

#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/hardware_flags.hpp"
#include "cli/run_support.hpp"
#include "common/error.hpp"
#include "methods/crossbar_aware_pruning/crossbar_count.hpp"
#include "methods/crossbar_aware_pruning/crossbar_pruner.hpp"
#include "methods/crossbar_aware_pruning/input_reorder.hpp"
#include "train/batch_norm_recalibration.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"

namespace xbarcut::cli {

namespace {

namespace xp = methods::xbprune;

struct XbPruneArgs {
  std::string checkpoint, dataset, data_dir, out, grain = "crossbar";
  bool reorder = false;
  int64_t iters = 2000, finetune_iters = 2000;
  double lr = 0.01, finetune_lr = 0.001, weight_decay = 5e-4;
  int64_t batch = 64, crop_pad = 0, display = 100;
  int64_t bn_recalibrate_batches = train::RecalibrationOptions{}.batches;
  bool flip = false;
  int threads = 0;
  xp::PruneOptions prune;
  HardwareFlags hw;
};

train::SolverOptions phase_solver(const XbPruneArgs& a, int64_t iters, double lr, const std::string& policy) {
  train::SolverOptions o;
  o.base_lr = lr;
  o.lr_policy = policy;
  o.max_iter = iters;
  o.batch = a.batch;
  o.weight_decay = a.weight_decay;
  o.momentum = 0.9;
  o.test_interval = 0;
  o.checkpoint_every = 0;
  o.display = a.display;
  o.seed = a.prune.seed;
  o.crop_pad = a.crop_pad;
  o.flip = a.flip;
  return o;
}

nlohmann::json layers_json(const std::vector<xp::LayerCrossbars>& counts, const xp::CrossbarPruner& pruner) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& c : counts) {
    bool pruned = false;
    int64_t budget = c.original;
    for (const auto& p : pruner.layers())
      if (p.name == c.name) pruned = true, budget = p.budget;
    layers.push_back({{"name", c.name}, {"rows", c.rows}, {"cols", c.cols}, {"pruned", pruned},
                      {"budget", budget}, {"crossbars_original", c.original}, {"crossbars", c.now},
                      {"nonzero_fraction", c.nonzero_fraction}});
  }
  return layers;
}

void run_xbprune(XbPruneArgs a) {
  a.prune.grain = xp::parse_grain(a.grain);
  xp::validate(a.prune);
  if (a.iters < 0 || a.finetune_iters < 0) throw Error("--iters and --finetune-iters must not be negative");
  if (a.bn_recalibrate_batches < 0) throw Error("--bn-recalibrate-batches must not be negative (0 = off)");
  const auto hardware = a.hw.options();
  train::validate(phase_solver(a, std::max<int64_t>(1, a.iters), a.lr, "fixed"));
  train::validate(phase_solver(a, std::max<int64_t>(1, a.finetune_iters), a.finetune_lr, "cosine"));
  auto base = train::load_checkpoint(a.checkpoint);
  const std::string dataset = a.dataset.empty() ? base.info.value("dataset", std::string()) : a.dataset;
  if (dataset.empty()) throw Error("--dataset is required: " + a.checkpoint + " does not record its dataset");
  nn::Net net = base.net;
  // Builds the pruner now so a factorised or too-small model is rejected before the data is loaded.
  xp::CrossbarPruner pruner(net, hardware, a.prune);

  setup_threads(a.threads);
  fmt::print(stderr, "loading {} ...\n", dataset);
  auto data = load_data(dataset, a.data_dir, &base.input);
  if (data.input_shape != net->spec().input || data.classes != net->spec().classes)
    throw Error("checkpoint " + a.checkpoint + " was made for another input shape than " + dataset + "'s");
  if (net->spec().is_conv_net()) net->use_channels_last();
  const double baseline = train::evaluate(net, data.test);
  const auto before = xp::count_crossbars(net, hardware, a.prune.grain);
  fmt::print(stderr, "baseline accuracy {:.4f}; {} crossbars of {}x{}; pruning {} layers at {} grain, keep {:.3f}\n",
             baseline, [&] { int64_t n = 0; for (const auto& l : before) n += l.original; return n; }(),
             hardware.xbar.rows, hardware.xbar.cols, pruner.layers().size(), a.grain, a.prune.keep_ratio);

  nlohmann::json reorder_json = nlohmann::json::array();
  if (a.reorder) {
    std::vector<size_t> consumers;
    for (const auto& l : pruner.layers()) consumers.push_back(l.weight_index);
    for (const auto& r : xp::reorder_input_channels(net, consumers))
      reorder_json.push_back({{"producer", r.producer}, {"consumer", r.consumer}, {"order", r.order}});
    const double reordered = train::evaluate(net, data.test);
    fmt::print(stderr, "input feature maps reordered for {} layers; accuracy {:.4f} (unchanged function)\n",
               reorder_json.size(), reordered);
  }

  // LGD: SGD on the dense weights with an RPP projection every T iterations.
  const int64_t every = a.prune.project_every;
  const int64_t projections = a.iters / every;
  double lgd_accuracy = baseline;
  if (a.iters > 0) {
    train::TrainHooks hooks;
    hooks.after_step = [&](int64_t iter) {
      if ((iter + 1) % every == 0) pruner.project((iter + 1) / every, projections);
    };
    fmt::print(stderr, "LGD: {} iterations, {} relaxed projections (every {})\n", a.iters, projections, every);
    train::Trainer lgd(net, phase_solver(a, a.iters, a.lr, "fixed"), data.train, data.test, data.input, "", hooks);
    lgd_accuracy = lgd.run().accuracy;
  }
  pruner.finalize();
  // The bn running statistics still describe the unpruned weights; re-estimate them on training batches
  // so the accuracy after the projection (and the start of fine-tuning) reflects the pruned network.
  const double projected_stale_bn = train::evaluate(net, data.test);
  double projected = projected_stale_bn;
  int64_t recalibrated = 0;
  if (a.bn_recalibrate_batches > 0) {
    train::RecalibrationOptions r;
    r.batches = a.bn_recalibrate_batches;
    r.batch = a.batch;
    r.seed = a.prune.seed + 1;
    r.crop_pad = a.crop_pad;
    r.flip = a.flip;
    recalibrated = train::recalibrate_batch_norms(net, data.train, r);
    if (recalibrated > 0) projected = train::evaluate(net, data.test);
  }
  fmt::print(stderr, "hard projection: accuracy {:.4f} before fine-tuning ({}; {:.4f} with the old bn statistics)\n",
             projected,
             recalibrated > 0 ? fmt::format("{} batch norms recalibrated on {} batches", recalibrated,
                                            a.bn_recalibrate_batches)
                              : std::string("no bn recalibration"),
             projected_stale_bn);
  double accuracy = projected;
  if (a.finetune_iters > 0) {
    fmt::print(stderr, "fine-tuning {} iterations with the masks fixed\n", a.finetune_iters);
    train::Trainer ft(net, phase_solver(a, a.finetune_iters, a.finetune_lr, "cosine"), data.train, data.test,
                      data.input, "");
    accuracy = ft.run().accuracy;
  }

  const auto after = xp::count_crossbars(net, hardware, a.prune.grain);
  const double ratio = xp::crossbar_ratio(after);
  train::Checkpoint ckpt;
  ckpt.net = net;
  ckpt.input = data.input;
  ckpt.iter = a.iters + a.finetune_iters;
  ckpt.info = {{"command", "xbprune"}, {"model", net->spec().name}, {"dataset", dataset}, {"accuracy", accuracy},
               {"crossbar_ratio", ratio}};
  train::save_checkpoint((std::filesystem::path(a.out) / "model.pt").string(), ckpt);
  nlohmann::json summary{{"command", command_line()},
                         {"model", net->spec().name},
                         {"dataset", dataset},
                         {"base_checkpoint", a.checkpoint},
                         {"accuracy", accuracy},
                         {"baseline_accuracy", baseline},
                         {"lgd_accuracy", lgd_accuracy},
                         {"projected_accuracy", projected},
                         {"projected_accuracy_stale_bn", projected_stale_bn},
                         {"bn_recalibrate_batches", recalibrated > 0 ? a.bn_recalibrate_batches : 0},
                         {"crossbar_ratio", ratio},
                         {"crossbar_reduction", 1.0 - ratio},
                         {"xbar", a.hw.xbar},
                         {"policy", a.hw.policy},
                         {"options", xp::to_json(a.prune)},
                         {"reorder", a.reorder},
                         {"reorder_permutations", reorder_json},
                         {"iters", a.iters},
                         {"finetune_iters", a.finetune_iters},
                         {"solver", {{"lgd", train::to_json(phase_solver(a, std::max<int64_t>(1, a.iters), a.lr, "fixed"))},
                                     {"finetune", train::to_json(phase_solver(a, std::max<int64_t>(1, a.finetune_iters),
                                                                              a.finetune_lr, "cosine"))}}},
                         {"layers", layers_json(after, pruner)},
                         {"machine", machine_info()}};
  write_json((std::filesystem::path(a.out) / "summary.json").string(), summary);
  fmt::print("accuracy {:.4f} (baseline {:.4f}); crossbars {:.1f} % of the original ({:.1f} % fewer); wrote {}/model.pt "
             "and {}/summary.json\n",
             accuracy, baseline, 100 * ratio, 100 * (1 - ratio), a.out, a.out);
}

}  // namespace

void register_xbprune(CLI::App& app) {
  auto a = std::make_shared<XbPruneArgs>();
  a->hw.xbar = "256x256";  // the paper's crossbar
  a->hw.policy = "fixed";  // one array size, edge tiles padded
  auto* cmd = app.add_subcommand(
      "xbprune", "Crossbar-aware pruning: L0-constrained SGD with relaxant probabilistic projection (crossbar or "
                 "column grain), then masked fine-tuning");
  cmd->add_option("--checkpoint", a->checkpoint, "the trained model.pt to prune")->required();
  cmd->add_option("--dataset", a->dataset, "mnist | fashion-mnist | cifar10 | cifar10-grey (default: the checkpoint's)");
  cmd->add_option("--data-dir", a->data_dir, "folder holding the datasets (else $XBARCUT_DATA)");
  cmd->add_option("--out", a->out, "output folder for model.pt and summary.json")->required();
  cmd->add_option("--grain", a->grain, "crossbar (whole tiles) | column (tile columns, recombined)")->capture_default_str();
  cmd->add_option("--keep-ratio", a->prune.keep_ratio, "crossbars kept per pruned layer")->capture_default_str();
  cmd->add_flag("--reorder", a->reorder, "reorder input feature maps by importance first (plain chains such as vgg8)");
  cmd->add_option("--iters", a->iters, "LGD iterations (SGD + relaxed projections)")->capture_default_str();
  cmd->add_option("--finetune-iters", a->finetune_iters, "masked fine-tuning iterations")->capture_default_str();
  cmd->add_option("--project-every", a->prune.project_every, "T: iterations between projections")->capture_default_str();
  cmd->add_option("--p-start", a->prune.p_start, "RPP: first zeroing probability (grows to 1)")->capture_default_str();
  cmd->add_option("--min-crossbars", a->prune.min_crossbars, "prune only layers with at least this many crossbars")
      ->capture_default_str();
  cmd->add_flag("--prune-classifier", a->prune.prune_classifier, "also prune the last layer");
  cmd->add_option("--seed", a->prune.seed, "seed of the projections and batch order")->capture_default_str();
  cmd->add_option("--bn-recalibrate-batches", a->bn_recalibrate_batches,
                  "after the hard projection, re-estimate bn statistics on N training batches (0 = off)")
      ->capture_default_str();
  cmd->add_option("--lr", a->lr, "LGD learning rate (fixed)")->capture_default_str();
  cmd->add_option("--finetune-lr", a->finetune_lr, "fine-tuning learning rate (cosine decay)")->capture_default_str();
  cmd->add_option("--weight-decay", a->weight_decay, "L2 weight decay")->capture_default_str();
  cmd->add_option("--batch", a->batch, "batch size")->capture_default_str();
  cmd->add_option("--crop-pad", a->crop_pad, "random-crop augmentation padding (0 = off; 4 for CIFAR)")->capture_default_str();
  cmd->add_flag("--flip", a->flip, "random horizontal flips");
  cmd->add_option("--display", a->display, "progress line every N iterations")->capture_default_str();
  cmd->add_option("--threads", a->threads, "CPU threads (default: all)");
  a->hw.add_to(cmd);
  cmd->callback([a] { run_xbprune(*a); });
}

}  // namespace xbarcut::cli
