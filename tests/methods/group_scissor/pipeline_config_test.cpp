// Experiment configs: TOML tables become each step's flags, --set overrides win, mistakes are errors.
#include <gtest/gtest.h>

#include "methods/group_scissor/pipeline_config.hpp"
#include "common/error.hpp"

using xbarcut::methods::parse_pipeline_config;

namespace {

const std::vector<std::string> kSteps = {"train", "clip", "delete"};

const char* kConfig = R"(
out = "runs/x"
dataset = "mnist"
xbar = "32x32"
[train]
model = "lenet"
iters = 2000
[clip]
eps = 0.03
centered = true
[delete]
finetune_iters = 500
stepvalues = [100, 200]
)";

std::vector<std::string> flags(const std::string& text, const std::string& step,
                               const std::vector<std::string>& overrides = {}) {
  const auto c = parse_pipeline_config(text, "test.toml", kSteps, overrides);
  for (const auto& s : c.steps)
    if (s.name == step) return s.flags;
  return {};
}

}  // namespace

TEST(PipelineConfig, TablesBecomeStepFlags) {
  const auto c = parse_pipeline_config(kConfig, "test.toml", kSteps, {});
  EXPECT_EQ(c.out, "runs/x");
  EXPECT_EQ(c.dataset, "mnist");
  EXPECT_EQ(c.xbar, "32x32");
  ASSERT_EQ(c.steps.size(), 3u);
  // Keys come out in a fixed (alphabetical) order, so the same file always gives the same command line.
  EXPECT_EQ(c.steps[0].flags, (std::vector<std::string>{"--iters", "2000", "--model", "lenet"}));
  EXPECT_EQ(c.steps[1].flags, (std::vector<std::string>{"--centered", "--eps", "0.03"}));
  EXPECT_EQ(c.steps[2].flags, (std::vector<std::string>{"--finetune-iters", "500", "--stepvalues", "100", "200"}));
}

TEST(PipelineConfig, OverridesReplaceAddAndTypeValues) {
  EXPECT_EQ(flags(kConfig, "clip", {"clip.eps=0.05", "clip.centered=false"}),
            (std::vector<std::string>{"--eps", "0.05"}));
  EXPECT_EQ(flags(kConfig, "delete", {"delete.lambda=1e-3"}),
            (std::vector<std::string>{"--finetune-iters", "500", "--lambda", "0.001", "--stepvalues", "100", "200"}));
  const auto c = parse_pipeline_config(kConfig, "test.toml", kSteps, {"dataset=fashion-mnist", "train.model=mlp:784-10"});
  EXPECT_EQ(c.dataset, "fashion-mnist");
  EXPECT_EQ(c.steps[0].flags, (std::vector<std::string>{"--iters", "2000", "--model", "mlp:784-10"}));
}

TEST(PipelineConfig, TrainCheckpointMeansStartFromABaseline) {
  const auto c = parse_pipeline_config("[train]\ncheckpoint = \"base/model.pt\"\n", "t", kSteps, {});
  EXPECT_TRUE(c.steps[0].skip);
  EXPECT_EQ(c.steps[0].given_checkpoint, "base/model.pt");
  EXPECT_FALSE(c.steps[1].skip);
}

TEST(PipelineConfig, MistakesAreOneLineErrors) {
  for (const std::string& bad : {"[trian]\niters = 3\n", "outt = \"x\"\n", "[clip]\neps = \n", "[clip]\nout = \"x\"\n",
                                 "[clip]\nwhen = 1979-05-27\n"}) {
    try {
      parse_pipeline_config(bad, "bad.toml", kSteps, {});
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const xbarcut::Error& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("bad.toml"), std::string::npos) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
  }
  EXPECT_THROW(parse_pipeline_config(kConfig, "t", kSteps, {"noequals"}), xbarcut::Error);
}
