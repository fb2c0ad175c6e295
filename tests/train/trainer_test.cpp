// The training loop on a small synthetic problem: it learns, resumes bit-identically from a checkpoint, stops
// on request (Ctrl-C) with a checkpoint to resume from, and stops with a clear error on a diverging loss while
// keeping the last good checkpoint.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "train/checkpoint.hpp"
#include "train/stop_request.hpp"
#include "train/trainer.hpp"

using namespace xbarcut;

namespace {

// Three Gaussian blobs in 64 dimensions, shaped as 1x8x8 images.
train::TensorDataset blobs(int64_t n, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  auto labels = torch::randint(3, {n}, gen, torch::kInt64);
  auto centres = torch::eye(3, 64) * 3.0;
  auto x = centres.index_select(0, labels) + torch::randn({n, 64}, gen);
  return {x.reshape({n, 1, 8, 8}), labels};
}

train::SolverOptions small_solver(int64_t iters) {
  train::SolverOptions o;
  o.base_lr = 0.05;
  o.lr_policy = "inv";
  o.max_iter = iters;
  o.batch = 16;
  o.display = 0;
  o.test_interval = 0;
  o.checkpoint_every = 0;
  o.seed = 7;
  return o;
}

nn::Net small_net() {
  torch::manual_seed(3);
  return nn::Net(nn::make_net_spec("mlp:64-16-3", {1, 8, 8}, 3));
}

std::string temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("xbarcut_trainer_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// The reference: `iters` iterations in one go, no checkpoints.
nn::Net unbroken_run(int64_t iters, const train::TensorDataset& train_set, const train::TensorDataset& test_set) {
  auto net = small_net();
  train::Trainer(net, small_solver(iters), train_set, test_set, {}, "").run();
  return net;
}

// Continues a run from its checkpoint at `path` to `iters`, as a new process would; returns the network.
nn::Net resume_to(const std::string& path, int64_t iters, const train::TensorDataset& train_set,
                  const train::TensorDataset& test_set, int64_t expected_iter) {
  auto ckpt = train::load_checkpoint(path);
  EXPECT_EQ(ckpt.iter, expected_iter);
  train::Trainer trainer(ckpt.net, small_solver(iters), train_set, test_set, {}, path);
  EXPECT_NO_THROW(trainer.resume_from(ckpt, path));
  // The checkpoint carries the training time so far, and the resumed run reports the whole run's.
  const double before = ckpt.info.value("train_seconds", -1.0);
  EXPECT_GT(before, 0.0);
  EXPECT_GT(trainer.run().seconds, before);
  return ckpt.net;
}

void expect_same_parameters(const nn::Net& a, const nn::Net& b) {
  auto pa = a->parameters(), pb = b->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i])) << "parameter " << i;
}

}  // namespace

TEST(Trainer, LearnsASeparableProblem) {
  auto train_set = blobs(600, 1), test_set = blobs(300, 2);
  auto net = small_net();
  const double before = train::evaluate(net, test_set);
  train::Trainer trainer(net, small_solver(150), train_set, test_set, {}, "");
  auto result = trainer.run();
  EXPECT_GT(result.accuracy, 0.9);
  EXPECT_GT(result.accuracy, before);
  EXPECT_EQ(result.iters, 150);
}

TEST(Trainer, ResumeIsIdenticalToAnUnbrokenRun) {
  auto train_set = blobs(200, 1), test_set = blobs(50, 2);
  // Unbroken: 60 iterations (the batch stream wraps around epochs of 200 images).
  const auto full = unbroken_run(60, train_set, test_set);
  // Broken: 25 iterations, checkpoint, then a new process-like start from the file.
  const auto path = temp_dir("resume") + "/checkpoint.pt";
  auto first = small_net();
  train::Trainer(first, small_solver(25), train_set, test_set, {}, path).run();
  expect_same_parameters(full, resume_to(path, 60, train_set, test_set, 25));
}

TEST(Trainer, AResumedRunCountsTheTrainingTimeBeforeIt) {
  auto train_set = blobs(200, 1), test_set = blobs(50, 2);
  const auto path = temp_dir("seconds") + "/checkpoint.pt";
  auto first = small_net();
  train::Trainer(first, small_solver(25), train_set, test_set, {}, path).run();
  // As if the first part had trained for an hour: far longer than the rest of this run can take.
  auto ckpt = train::load_checkpoint(path);
  ckpt.info["train_seconds"] = 3600.0;
  train::Trainer trainer(ckpt.net, small_solver(60), train_set, test_set, {}, path);
  trainer.resume_from(ckpt, path);
  const auto result = trainer.run();
  EXPECT_GE(result.seconds, 3600.0);
  EXPECT_LT(result.seconds, 3600.0 + 600.0);
  // The checkpoint the resumed run leaves carries the whole run's time on, for a second resume.
  EXPECT_GE(train::load_checkpoint(path).info.value("train_seconds", 0.0), 3600.0);
}

TEST(Trainer, StopRequestWritesACheckpointThatResumesToTheSameResult) {
  auto train_set = blobs(200, 1), test_set = blobs(50, 2);
  const auto full = unbroken_run(60, train_set, test_set);
  const auto path = temp_dir("stop") + "/checkpoint.pt";
  auto first = small_net();
  int64_t stopped_after = 0;
  train::TrainHooks hooks;
  hooks.after_step = [&](int64_t iter) {
    if (iter == 16) train::request_stop();  // what Ctrl-C does, at a known iteration
    stopped_after = iter + 1;
  };
  train::Trainer trainer(first, small_solver(60), train_set, test_set, {}, path, hooks);
  try {
    trainer.run();
    FAIL() << "a stop request must end the run";
  } catch (const train::Interrupted& e) {
    EXPECT_NE(std::string(e.what()).find("--resume"), std::string::npos) << e.what();
  }
  train::clear_stop_request();
  EXPECT_EQ(stopped_after, 17);  // the iteration in progress finished, no later one started
  expect_same_parameters(full, resume_to(path, 60, train_set, test_set, 17));

  // Without a checkpoint path the run still stops, and says nothing is kept.
  auto net = small_net();
  train::request_stop();
  try {
    train::Trainer(net, small_solver(60), train_set, test_set, {}, "").run();
    FAIL() << "a stop request must end the run";
  } catch (const train::Interrupted& e) {
    EXPECT_NE(std::string(e.what()).find("no checkpoint"), std::string::npos) << e.what();
  }
  train::clear_stop_request();
}

TEST(Trainer, DivergingLossStopsWithAClearErrorAndKeepsTheCheckpoint) {
  auto train_set = blobs(200, 1), test_set = blobs(50, 2);
  auto options = small_solver(200);
  options.base_lr = 1e12;
  options.lr_policy = "fixed";
  options.checkpoint_every = 1;
  const auto dir = temp_dir("nan");
  const auto path = dir + "/checkpoint.pt";
  auto net = small_net();
  train::Trainer trainer(net, options, train_set, test_set, {}, path);
  try {
    trainer.run();
    FAIL() << "training with lr 1e12 should diverge";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("diverged"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--lr"), std::string::npos) << e.what();
  }
  if (std::filesystem::exists(path)) {
    auto ckpt = train::load_checkpoint(path);  // loads: the file written before the blow-up is intact
    EXPECT_LT(ckpt.iter, 200);
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(Checkpoint, RoundTripKeepsOutputsSpecAndInputTransform) {
  auto net = nn::Net(nn::make_net_spec("lenet", {1, 28, 28}, 10));
  auto layer = net->layer("fc1");
  auto m = layer->matrices()[0];
  auto [u, s, vh] = torch::linalg::svd(m, false, c10::nullopt);
  layer->set_matrices({(u * s).slice(1, 0, 40), vh.slice(0, 0, 40)});
  train::Checkpoint ckpt;
  ckpt.net = net;
  ckpt.input.scale = 1.0 / 256;
  ckpt.input.mean = torch::rand({1, 28, 28});
  ckpt.iter = 123;
  ckpt.info = {{"dataset", "mnist"}};
  const auto path = temp_dir("roundtrip") + "/model.pt";
  train::save_checkpoint(path, ckpt);
  auto back = train::load_checkpoint(path);
  EXPECT_EQ(back.iter, 123);
  EXPECT_EQ(back.info["dataset"], "mnist");
  EXPECT_EQ(back.net->layer("fc1")->rank(), 40);
  EXPECT_TRUE(torch::equal(back.input.mean, ckpt.input.mean));
  auto x = torch::randn({2, 1, 28, 28});
  EXPECT_TRUE(torch::equal(back.net->forward(x), net->forward(x)));
  // A final model.pt holds no solver state: resuming from it is refused with one line naming the file.
  train::SgdSolver solver(train::param_groups(back.net), train::SolverOptions{});
  try {
    train::load_solver_state(path, solver);
    FAIL() << "resumed from a file without solver state";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.pt holds no solver state"), std::string::npos) << e.what();
  }
}

TEST(Checkpoint, ForeignAndMissingFilesGiveOneLineErrors) {
  const auto dir = temp_dir("foreign");
  EXPECT_THROW(train::load_checkpoint(dir + "/nope.pt"), Error);
  {
    std::ofstream f(dir + "/junk.pt");
    f << "not a checkpoint";
  }
  try {
    train::load_checkpoint(dir + "/junk.pt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("junk.pt"), std::string::npos);
  }
  // A torch archive without the xbarcut marker.
  torch::serialize::OutputArchive archive;
  archive.write("x", torch::ones({2}));
  archive.save_to(dir + "/plain.pt");
  EXPECT_THROW(train::load_checkpoint(dir + "/plain.pt"), Error);
}

TEST(BatchStream, EachEpochVisitsEveryImageOnce) {
  train::TensorDataset d{torch::arange(10, torch::kFloat32).reshape({10, 1, 1, 1}), torch::arange(10)};
  train::BatchStream stream(d, 5, 42);
  std::vector<int64_t> seen;
  for (int it = 0; it < 2; ++it) {
    auto [x, y] = stream.batch(it);
    for (int64_t i = 0; i < 5; ++i) seen.push_back(y[i].item<int64_t>());
  }
  std::sort(seen.begin(), seen.end());
  for (int64_t i = 0; i < 10; ++i) EXPECT_EQ(seen[i], i);
  // Pure function of the iteration: a second stream gives the same batch 3.
  train::BatchStream again(d, 5, 42);
  EXPECT_TRUE(torch::equal(stream.batch(3).second, again.batch(3).second));
}
