// The xbarcut command end to end: a short Fashion-MNIST LeNet run learns, --resume continues a broken
// run to the same result, and bad input exits with code 2 and one line.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "train/checkpoint.hpp"

namespace {

struct Run {
  int code;
  std::string output;
};

Run run_xbarcut(const std::string& args) {
  const std::string cmd = std::string(XBARCUT_BINARY) + " " + args + " 2>&1";
  Run r{0, ""};
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe)) r.output += buf.data();
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

bool have_fashion_mnist() { return std::filesystem::exists("/usr/share/datasets/fashion-mnist"); }

std::string temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("xbarcut_cli_" + name);
  std::filesystem::remove_all(dir);
  return dir.string();
}

}  // namespace

TEST(TrainCli, ShortFashionMnistLeNetRunLearns) {
  if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto out = temp_dir("short");
  auto r = run_xbarcut("train --model lenet --dataset fashion-mnist --iters 600 --display 200 --test-interval 0 --out " + out);
  ASSERT_EQ(r.code, 0) << r.output;
  auto summary = read_json(out + "/summary.json");
  EXPECT_EQ(summary["iters"], 600);
  EXPECT_GT(summary["accuracy"].get<double>(), 0.75);
  // eval of the written model agrees with the summary.
  auto e = run_xbarcut("eval --checkpoint " + out + "/model.pt --json " + out + "/eval.json");
  ASSERT_EQ(e.code, 0) << e.output;
  EXPECT_DOUBLE_EQ(read_json(out + "/eval.json")["accuracy"].get<double>(), summary["accuracy"].get<double>());
}

TEST(TrainCli, ResumeContinuesToTheSameResult) {
  if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto straight = temp_dir("straight"), broken = temp_dir("broken");
  const std::string common = "train --model mlp:784-32-10 --dataset fashion-mnist --display 0 --test-interval 0 ";
  ASSERT_EQ(run_xbarcut(common + "--iters 80 --out " + straight).code, 0);
  ASSERT_EQ(run_xbarcut(common + "--iters 30 --out " + broken).code, 0);  // the "killed" run
  auto r = run_xbarcut(common + "--iters 80 --resume --out " + broken);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("resuming"), std::string::npos);
  auto a = xbarcut::train::load_checkpoint(straight + "/model.pt");
  auto b = xbarcut::train::load_checkpoint(broken + "/model.pt");
  auto pa = a.net->parameters(), pb = b.net->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i]));
  EXPECT_EQ(read_json(straight + "/summary.json")["accuracy"], read_json(broken + "/summary.json")["accuracy"]);

  // A checkpoint another command left in the folder is refused with one line, not continued as training.
  const auto foreign = temp_dir("foreign");
  std::filesystem::create_directories(foreign);
  auto c = xbarcut::train::load_checkpoint(straight + "/model.pt");
  c.info["command"] = "clip";
  xbarcut::train::save_checkpoint(foreign + "/checkpoint.pt", c);
  auto f = run_xbarcut(common + "--iters 80 --resume --out " + foreign);
  EXPECT_EQ(f.code, 2) << f.output;
  EXPECT_NE(f.output.find("was not written by xbarcut train"), std::string::npos) << f.output;
  EXPECT_FALSE(std::filesystem::exists(foreign + "/model.pt"));
}

TEST(TrainCli, BadInputExitsWithCode2AndOneLine) {
  const auto out = temp_dir("bad");
  for (const std::string& args : std::vector<std::string>{"train --model lenet --batch 0 --out " + out, "train --model lenet --lr -0.1 --out " + out,
        "train --model nosuchnet --out " + out, "train --model lenet --dataset imagenet --out " + out,
        "train --model lenet --dataset mnist --data-dir /nonexistent --out " + out,
        "eval --checkpoint /nonexistent/model.pt", "train --model lenet"}) {
    auto r = run_xbarcut(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find("error"), std::string::npos) << r.output;
    // One line: the error is the last line and no stack trace follows.
    const auto at = r.output.find("xbarcut: error");
    ASSERT_NE(at, std::string::npos) << r.output;
    EXPECT_EQ(at, r.output.rfind("xbarcut: error")) << r.output;
    EXPECT_EQ(r.output.find('\n', at), r.output.size() - 1) << r.output;
  }
}
