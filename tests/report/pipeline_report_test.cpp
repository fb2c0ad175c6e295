// The scissor report: a row per step with its own command, ranks, and the final hardware table.
#include <gtest/gtest.h>

#include "hw/network_cost.hpp"
#include "report/pipeline_report.hpp"

using namespace xbarcut;

TEST(PipelineReport, NamesEveryStepWithItsCommandAndNumbers) {
  report::PipelineReport r;
  r.title = "Group Scissor: lenet on mnist";
  r.steps.push_back({"train", {{"accuracy", 0.99}, {"command", "xbarcut train --model lenet"}}, "runs/x/train"});
  r.steps.push_back({"clip", {{"accuracy", 0.985}, {"crossbar_area_ratio", 0.1362}, {"command", "xbarcut clip"}},
                     "runs/x/clip"});
  r.steps.push_back({"delete", nullptr, "runs/x/delete"});
  r.ranks = {{"conv1", 20, 5}, {"fc2", 10, 0}};
  const auto m = hw::shape_only("fc1", 800, 500, 1);
  r.final_cost = hw::cost_network({m}, {m}, hw::HardwareOptions{});
  const auto md = report::pipeline_markdown(r);
  EXPECT_NE(md.find("| train | 99.00 % | - | - | - | `xbarcut train --model lenet` |"), std::string::npos) << md;
  EXPECT_NE(md.find("| clip | 98.50 % | 13.62 % |"), std::string::npos) << md;
  EXPECT_NE(md.find("| delete | not run |"), std::string::npos) << md;
  EXPECT_NE(md.find("| conv1 | 20 | 5 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| fc2 | 10 | dense |"), std::string::npos) << md;
  EXPECT_NE(md.find("fc1"), std::string::npos) << md;

  const auto j = report::pipeline_json(r);
  EXPECT_DOUBLE_EQ(j["accuracy"].get<double>(), 0.985);
  EXPECT_DOUBLE_EQ(j["baseline_accuracy"].get<double>(), 0.99);
  EXPECT_EQ(j["ranks"]["conv1"]["rank"], 5);
  EXPECT_TRUE(j["steps"]["delete"]["summary"].is_null());
  EXPECT_EQ(j["hardware"]["summary"]["crossbars"], 16 * 10);  // 800 = 16 x 50, 500 = 10 x 50
}
