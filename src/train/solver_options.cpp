// Solver defaults and validation.
#include "train/solver_options.hpp"

#include <cmath>

#include "common/error.hpp"

namespace xbarcut::train {

SolverOptions default_solver(const std::string& model) {
  SolverOptions o;
  if (model == "convnet") {
    o.base_lr = 0.001;
    o.lr_policy = "multistep";
    o.gamma = 0.1;
    o.stepvalues = {60000, 65000};
    o.momentum = 0.9;
    o.weight_decay = 0.004;
    o.max_iter = 70000;
    o.batch = 100;
    o.test_interval = 1000;
    o.display = 200;
    o.checkpoint_every = 2000;
  }
  return o;  // lenet, mlp: Caffe LeNet's solver
}

void validate_stepvalues(const std::vector<int64_t>& v, const std::string& field) {
  for (size_t i = 1; i < v.size(); ++i)
    if (v[i] <= v[i - 1]) throw Error("`" + field + "` must increase, e.g. 6000,8500");
}

void validate(const SolverOptions& o, const std::string& prefix) {
  auto bad = [](const std::string& what) { throw Error(what); };
  auto f = [&](const char* name) { return "`" + prefix + name + "`"; };
  if (!(o.base_lr > 0) || !std::isfinite(o.base_lr)) bad(f("base_lr") + " must be a positive number");
  if (o.batch <= 0) bad(f("batch") + " must be at least 1");
  if (o.max_iter <= 0) bad(f("max_iter") + " must be at least 1");
  if (!(o.momentum >= 0 && o.momentum < 1)) bad(f("momentum") + " must be in [0, 1)");
  if (!(o.weight_decay >= 0)) bad(f("weight_decay") + " must not be negative");
  if (o.test_interval < 0 || o.display < 0 || o.checkpoint_every < 0)
    bad(f("test_interval") + ", " + f("display") + " and " + f("checkpoint_every") + " must not be negative");
  if (o.crop_pad < 0) bad(f("crop_pad") + " must not be negative");
  const auto& p = o.lr_policy;
  if (p != "fixed" && p != "step" && p != "multistep" && p != "inv" && p != "exp" && p != "poly" && p != "cosine")
    bad("unknown " + f("lr_policy") + " '" + p + "' (use fixed, step, multistep, inv, exp, poly or cosine)");
  if (p == "step" && o.stepsize <= 0) bad(f("lr_policy") + " step needs " + f("stepsize") + " > 0");
  if (p == "multistep") {
    if (o.stepvalues.empty()) bad(f("lr_policy") + " multistep needs " + f("stepvalues") + ", e.g. 5000,8000");
    validate_stepvalues(o.stepvalues, prefix + "stepvalues");
  }
  if ((p == "step" || p == "multistep" || p == "inv" || p == "exp") && !(o.gamma > 0))
    bad(f("gamma") + " must be positive for " + f("lr_policy") + " " + p);
}

nlohmann::json to_json(const SolverOptions& o) {
  return {{"base_lr", o.base_lr},   {"lr_policy", o.lr_policy},   {"gamma", o.gamma},
          {"power", o.power},       {"stepsize", o.stepsize},     {"stepvalues", o.stepvalues},
          {"momentum", o.momentum}, {"weight_decay", o.weight_decay}, {"max_iter", o.max_iter},
          {"batch", o.batch},       {"seed", o.seed},             {"crop_pad", o.crop_pad},
          {"flip", o.flip}};
}

}  // namespace xbarcut::train
