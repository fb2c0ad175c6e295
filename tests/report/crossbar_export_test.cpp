#include "report/crossbar_export.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "report/npy_writer.hpp"
#include "report_test_util.hpp"

namespace xbarcut::report {
namespace {

hw::WeightMatrix signed_matrix(const std::string& name, int64_t rows, int64_t cols) {
  hw::WeightMatrix m{name, rows, cols, std::vector<float>(static_cast<size_t>(rows * cols)), 1};
  std::mt19937 gen(3);
  std::uniform_real_distribution<float> w(-1.0f, 1.0f);
  for (float& v : m.values) v = w(gen);
  return m;
}

std::vector<double> read_npy(const std::string& path, int64_t rows, int64_t cols) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string header = npy_header(rows, cols);
  EXPECT_EQ(bytes.compare(0, header.size(), header), 0) << path;
  std::vector<double> out(static_cast<size_t>(rows * cols));
  EXPECT_EQ(bytes.size(), header.size() + out.size() * 8);
  if (bytes.size() == header.size() + out.size() * 8) std::memcpy(out.data(), bytes.data() + header.size(), out.size() * 8);
  return out;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// 100x24 on 50x12 crossbars: four tiles, a matrix with both signs.
TEST(CrossbarExportTest, DifferentialPairsMatchTheWeights) {
  test::ScratchDir dir;
  hw::WeightMatrix m = signed_matrix("fc1_u", 100, 24);
  for (int64_t r = 50; r < 100; ++r)
    for (int64_t c = 12; c < 24; ++c) m.values[static_cast<size_t>(r * 24 + c)] = 0.0f;  // tile 3 empty
  hw::HardwareOptions hw;
  hw.xbar = {50, 12};
  ExportOptions o;
  o.levels = 8;
  const ExportResult res = export_crossbars({m}, hw, dir.path().string(), o);
  EXPECT_EQ(res.tiles, 4);
  EXPECT_EQ(res.files.size(), 8u);

  const nlohmann::json manifest = read_json(res.manifest_path);
  ASSERT_EQ(manifest["tiles"].size(), 4u);
  float wmax = 0;
  for (float v : m.values) wmax = std::max(wmax, std::fabs(v));
  const double step = (o.g_on - o.g_off) / (o.levels - 1);
  for (const auto& tile : manifest["tiles"]) {
    EXPECT_EQ(tile["matrix"], "fc1_u");
    EXPECT_DOUBLE_EQ(tile["g_on"].get<double>(), o.g_on);
    EXPECT_DOUBLE_EQ(tile["g_off"].get<double>(), o.g_off);
    EXPECT_EQ(tile["levels"], 8);
    EXPECT_FLOAT_EQ(tile["scale"].get<float>(), wmax);
    EXPECT_EQ(tile["empty"].get<bool>(), tile["tile"] == 3);
    const int64_t r0 = tile["rows"][0], r1 = tile["rows"][1], c0 = tile["cols"][0], c1 = tile["cols"][1];
    EXPECT_EQ(r1 - r0, 50);
    EXPECT_EQ(c1 - c0, 12);
    const auto gp = read_npy(dir.file(tile["g_pos"]), 50, 12);
    const auto gn = read_npy(dir.file(tile["g_neg"]), 50, 12);
    std::set<double> levels;
    for (int64_t r = r0; r < r1; ++r) {
      for (int64_t c = c0; c < c1; ++c) {
        const size_t k = static_cast<size_t>((r - r0) * 12 + (c - c0));
        const double w = m.at(r, c), diff = gp[k] - gn[k];
        levels.insert(gp[k]);
        levels.insert(gn[k]);
        EXPECT_TRUE(gp[k] == o.g_off || gn[k] == o.g_off);  // one side of the pair stays off
        // Sign of G+ - G- is the sign of w, unless |w| rounds to the lowest level.
        if (std::fabs(w) > 0.5 * wmax / (o.levels - 1)) {
          EXPECT_EQ(diff > 0, w > 0) << r << "," << c;
        }
        // Quantisation error is at most half a level.
        EXPECT_NEAR(diff / (o.g_on - o.g_off) * wmax, w, 0.5 * wmax / (o.levels - 1) + 1e-6);
        EXPECT_GE(gp[k], o.g_off - 1e-18);
        EXPECT_LE(gp[k], o.g_on + 1e-18);
      }
    }
    EXPECT_LE(static_cast<int64_t>(levels.size()), o.levels);
    (void)step;
  }
}

TEST(CrossbarExportTest, PaddingAndCsv) {
  test::ScratchDir dir;
  const hw::WeightMatrix m = signed_matrix("conv/1", 67, 5);  // prime rows: two padded 64-row tiles
  ExportOptions o;
  o.format = ExportFormat::Csv;
  const ExportResult res = export_crossbars({m}, hw::HardwareOptions{}, dir.path().string(), o);
  EXPECT_EQ(res.tiles, 2);
  const nlohmann::json manifest = read_json(res.manifest_path);
  EXPECT_EQ(manifest["format"], "csv");
  const auto& last = manifest["tiles"][1];
  EXPECT_EQ(last["rows"][0], 64);
  EXPECT_EQ(last["rows"][1], 67);
  EXPECT_EQ(last["g_pos"], "conv_1_t1_gpos.csv");
  std::ifstream in(dir.file(last["g_pos"]));
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), 4);
    if (lines > 3) {  // padding rows: every cell at g_off
      std::stringstream ss(line);
      std::string cell;
      while (std::getline(ss, cell, ',')) EXPECT_DOUBLE_EQ(std::stod(cell), o.g_off);
    }
  }
  EXPECT_EQ(lines, 64);
}

TEST(CrossbarExportTest, QuantisedConductance) {
  ExportOptions o;
  o.g_on = 10;
  o.g_off = 1;
  o.levels = 4;  // 1, 4, 7, 10
  EXPECT_DOUBLE_EQ(quantised_conductance(0.0, o), 1.0);
  EXPECT_DOUBLE_EQ(quantised_conductance(0.4, o), 4.0);
  EXPECT_DOUBLE_EQ(quantised_conductance(0.6, o), 7.0);
  EXPECT_DOUBLE_EQ(quantised_conductance(1.0, o), 10.0);
}

TEST(CrossbarExportTest, Errors) {
  test::ScratchDir dir;
  const std::vector<hw::WeightMatrix> net{signed_matrix("w", 10, 10)};
  ExportOptions o;
  o.g_on = 1e-6;
  o.g_off = 1e-4;
  EXPECT_THROW(export_crossbars(net, hw::HardwareOptions{}, dir.path().string(), o), Error);
  o = ExportOptions{};
  o.g_off = -1;
  EXPECT_THROW(validate(o), Error);
  o = ExportOptions{};
  o.levels = 1;
  EXPECT_THROW(validate(o), Error);
  EXPECT_THROW(parse_export_format("mat"), Error);
  EXPECT_EQ(parse_export_format("csv"), ExportFormat::Csv);
  EXPECT_THROW(export_crossbars({hw::shape_only("s", 10, 10)}, hw::HardwareOptions{}, dir.path().string()), Error);
  // A path under a regular file can never become a directory.
  std::ofstream(dir.file("plain")) << "x";
  EXPECT_THROW(export_crossbars(net, hw::HardwareOptions{}, dir.file("plain/sub")), Error);
}

}  // namespace
}  // namespace xbarcut::report
