#include "methods/rank_clipping/run_rank_clipping.hpp"

#include <chrono>
#include <filesystem>

#include <fmt/core.h>

#include "common/error.hpp"
#include "methods/collapse_guard.hpp"
#include "methods/rank_clipping/net_factorisation.hpp"
#include "methods/rank_clipping/rank_clipper.hpp"
#include "methods/rank_clipping/rank_report.hpp"
#include "report/rank_clipping_plots.hpp"
#include "train/trainer.hpp"

namespace xbarcut::methods {

train::SolverOptions authors_clipping_solver(const std::string& model, int64_t iters) {
  auto o = train::default_solver(model);
  o.max_iter = iters;
  o.lr_policy = "multistep";
  const bool convnet = model == "convnet";
  o.gamma = convnet ? 0.1 : 0.9;
  const std::vector<double> at = convnet ? std::vector<double>{0.5, 0.8}
                                         : std::vector<double>{20.0 / 30, 24.0 / 30, 26.0 / 30, 28.0 / 30, 29.0 / 30};
  o.stepvalues.clear();
  for (double f : at) {
    const auto s = static_cast<int64_t>(f * static_cast<double>(iters));
    if (s > 0 && (o.stepvalues.empty() || s > o.stepvalues.back())) o.stepvalues.push_back(s);
  }
  if (o.stepvalues.empty()) o.lr_policy = "fixed";
  return o;
}

nlohmann::json resume_settings(const RankClippingOptions& o) {
  // The solver's JSON leaves out the intervals that only change what is printed and saved, so those may differ.
  return {{"clip", to_json(o)}, {"solver", train::to_json(o.solver)}};
}

namespace {

nlohmann::json step_json(const ClipStep& s, double accuracy) {
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& l : s.layers) errors[l.layer] = l.error;
  return {{"iter", s.iter}, {"ranks", s.ranks()}, {"accuracy", accuracy}, {"errors", errors},
          {"seconds", s.seconds}};
}

}  // namespace

RankClippingResult run_rank_clipping(const RankClippingOptions& o, nn::Net net, const train::Data& data,
                                     const train::Checkpoint* resume) {
  validate(o);
  require_dense(net);
  if (resume && !resume->info.contains("history"))
    throw Error(o.checkpoint_path + " holds no clipping history, so the run cannot resume from it; start over");
  RankClippingResult r;
  for (const auto& name : net->grouped_layers())
    fmt::print(stderr, "note: {} is a grouped convolution; {} leaves it dense\n", name, "rank clipping");
  r.baseline_accuracy = train::evaluate(net, data.test);
  fmt::print(stderr, "baseline test accuracy {:.4f}\n", r.baseline_accuracy);
  factorise_full_rank(net);
  r.full_rank_accuracy = train::evaluate(net, data.test);
  r.history.push_back(
      {{"iter", 0}, {"ranks", low_rank_report(net, o.hw)["ranks"]}, {"accuracy", r.full_rank_accuracy}});
  if (resume) {
    net = resume->net;
    if (net->spec().is_conv_net()) net->use_channels_last();
    r.history = resume->info.at("history");
    r.approximation_seconds = resume->info.value("approximation_seconds", 0.0);
    r.history_eval_seconds = resume->info.value("history_eval_seconds", 0.0);
    r.resumed_from = resume->iter;
  }
  train::Trainer* trainer_ptr = nullptr;
  train::TrainHooks hooks;
  hooks.after_step = clipping_hook(o, o.solver.max_iter, &trainer_ptr, [&](const ClipStep& s) {
    r.approximation_seconds += s.seconds;
    const auto t0 = std::chrono::steady_clock::now();
    const double acc = train::evaluate(net, data.test);
    r.history_eval_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string ranks;
    for (const auto& [layer, rank] : s.ranks()) ranks += fmt::format(" {}={}", layer, rank);
    fmt::print(stderr, "clip  iter {:>7} ranks{}  accuracy {:.4f}  ({:.2f} s)\n", s.iter, ranks, acc, s.seconds);
    r.history.push_back(step_json(s, acc));
  });
  hooks.checkpoint_info = [&] {
    auto j = o.checkpoint_info;
    j["ranks"] = layer_ranks(net);
    j["history"] = r.history;
    j["approximation_seconds"] = r.approximation_seconds;
    j["history_eval_seconds"] = r.history_eval_seconds;
    return j;
  };
  auto solver = o.solver;
  if (o.checkpoint_path.empty()) solver.checkpoint_every = 0;
  train::Trainer trainer(net, solver, data.train, data.test, data.input, o.checkpoint_path, hooks);
  trainer_ptr = &trainer;
  if (resume) {
    trainer.resume_from(*resume, o.checkpoint_path);
    fmt::print(stderr, "resuming {} from iteration {} (ranks {})\n", o.checkpoint_path, resume->iter,
               nlohmann::json(layer_ranks(net)).dump());
  }
  fmt::print(stderr, "rank clipping {} on {}: eps {} every {} iterations, {} iterations, lra {}\n", net->spec().name,
             data.name, o.eps, o.interval, solver.max_iter, to_string(o.method));
  const auto trained = trainer.run();
  r.net = net;
  r.accuracy = trained.accuracy;
  refuse_collapse(net, r.accuracy, r.baseline_accuracy, data.classes, "rank clipping",
                  "Clip less (a lower --eps) or train longer (--iters)");
  r.iters = trained.iters;
  r.train_seconds = trained.seconds;
  r.ranks_report = low_rank_report(net, o.hw);
  r.history.push_back({{"iter", trained.iters}, {"ranks", r.ranks_report["ranks"]}, {"accuracy", trained.accuracy}});
  return r;
}

nlohmann::json to_json(const RankClippingResult& r) {
  nlohmann::json j{{"method", "rank_clipping"},
                   {"accuracy", r.accuracy},
                   {"baseline_accuracy", r.baseline_accuracy},
                   {"full_rank_accuracy", r.full_rank_accuracy},
                   {"iters", r.iters},
                   {"resumed_from", r.resumed_from},
                   {"train_seconds", r.train_seconds},
                   {"approximation_seconds", r.approximation_seconds},
                   {"approximation_share", r.train_seconds > 0 ? r.approximation_seconds / r.train_seconds : 0.0},
                   {"history_eval_seconds", r.history_eval_seconds},
                   {"history", r.history}};
  j.update(r.ranks_report);
  return j;
}

std::string write_rank_clipping_figures(const RankClippingResult& r, const std::string& dir) {
  std::vector<report::RankHistoryPoint> points;
  for (const auto& h : r.history) {
    report::RankHistoryPoint p{h.at("iter").get<int64_t>(), {}, h.at("accuracy").get<double>()};
    for (const auto& [layer, rank] : h.at("ranks").items())
      p.rank_ratio[layer] = rank.get<double>() / r.ranks_report.at("full_ranks").at(layer).get<double>();
    points.push_back(p);
  }
  const auto path = (std::filesystem::path(dir) / "ranks.png").string();
  report::write_rank_history_plot(points, path);
  return path;
}

}  // namespace xbarcut::methods
