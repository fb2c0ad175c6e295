#include "train/run_start.hpp"

#include <cmath>
#include <filesystem>
#include <optional>

#include "common/error.hpp"

namespace xbarcut::train {

RunStart start_run(const RunRequest& r, const std::function<void(SolverOptions&)>& adjust,
                   const std::function<void(const SolverOptions&)>& check) {
  if (r.checkpoint.empty() == r.model.empty()) throw Error("give exactly one of `checkpoint` or `model`");
  if ((r.epochs > 0) == (r.iters > 0)) throw Error("give exactly one of `epochs` or `iters`, and a positive one");
  if (r.epochs < 0 || r.iters < 0) throw Error("`epochs` and `iters` must be positive");
  if (r.train_images < 0) throw Error("`train_images` must be 0 (all) or a positive number of images");
  if (!r.checkpoint.empty() && !std::filesystem::exists(r.checkpoint))
    throw Error("checkpoint " + r.checkpoint + " does not exist; train one with xbarcut train");
  RunStart s;
  s.from_checkpoint = !r.checkpoint.empty();
  std::string model = r.model;
  std::optional<Checkpoint> ckpt;
  if (s.from_checkpoint) {
    ckpt = load_checkpoint(r.checkpoint);
    model = ckpt->info.value("model", ckpt->net->spec().name);
  }
  s.solver = default_solver(model);
  s.solver.test_interval = 0;
  s.solver.checkpoint_every = 0;
  if (adjust) adjust(s.solver);
  s.solver.max_iter = std::max<int64_t>(1, r.iters);
  validate(s.solver);
  if (check) check(s.solver);
  s.base = s.from_checkpoint ? open_trained_network(std::move(*ckpt), r.checkpoint, r.dataset, r.data_dir, r.threads)
                             : new_network(model, r.dataset.empty() ? "fashion-mnist" : r.dataset, r.data_dir,
                                           r.threads, s.solver.seed);
  keep_first_training_images(s.base.data, r.train_images);
  const int64_t per_epoch = std::max<int64_t>(1, (s.base.data.train.size() + s.solver.batch - 1) / s.solver.batch);
  if (r.epochs > 0) s.solver.max_iter = static_cast<int64_t>(std::ceil(r.epochs * static_cast<double>(per_epoch)));
  return s;
}

}  // namespace xbarcut::train
