#include "report/crossbar_export.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

#include "common/error.hpp"
#include "report/matrix_file_name.hpp"
#include "report/npy_writer.hpp"

namespace xbarcut::report {

ExportFormat parse_export_format(const std::string& text) {
  if (text == "npy") return ExportFormat::Npy;
  if (text == "csv") return ExportFormat::Csv;
  throw Error("unknown export format '" + text + "'; use 'npy' or 'csv'");
}

std::string to_string(ExportFormat format) { return format == ExportFormat::Npy ? "npy" : "csv"; }

void validate(const ExportOptions& o) {
  if (!(o.g_off >= 0) || !(o.g_on > o.g_off)) {
    throw Error(fmt::format("conductances g_on = {} S, g_off = {} S are invalid; need g_on > g_off >= 0 "
                            "(e.g. g_on 1e-4, g_off 1e-6)",
                            o.g_on, o.g_off));
  }
  if (o.levels < 2) {
    throw Error("conductance levels = " + std::to_string(o.levels) +
                "; a device needs at least 2 levels (g_off and g_on)");
  }
}

double quantised_conductance(double fraction, const ExportOptions& o) {
  const double steps = static_cast<double>(o.levels - 1);
  const double level = std::round(std::clamp(fraction, 0.0, 1.0) * steps);
  return o.g_off + (o.g_on - o.g_off) * level / steps;
}

namespace {

void write_csv(const std::string& path, int64_t rows, int64_t cols, const std::vector<double>& values) {
  std::ofstream out(path);
  if (!out) throw Error("cannot write " + path + "; check that the directory exists and is writable");
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      out << (c ? "," : "") << fmt::format("{}", values[static_cast<size_t>(r * cols + c)]);
    }
    out << '\n';
  }
  if (!out) throw Error("failed while writing " + path + "; check free disk space");
}

}  // namespace

ExportResult export_crossbars(const std::vector<hw::WeightMatrix>& matrices, const hw::HardwareOptions& hw,
                              const std::string& dir, const ExportOptions& o) {
  validate(o);
  hw::validate(hw);
  for (const hw::WeightMatrix& m : matrices) {
    hw::validate(m);
    if (!m.has_values()) {
      throw Error("matrix '" + m.name + "' has only a shape; exporting conductances needs its weight values");
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("cannot create export directory " + dir + ": " + ec.message());

  const std::string ext = to_string(o.format);
  const auto thr = static_cast<float>(hw.zero_threshold);
  nlohmann::json tiles = nlohmann::json::array();
  ExportResult result;
  for (const hw::WeightMatrix& m : matrices) {
    const hw::Tiling t = hw::tile_matrix(m.rows, m.cols, hw);
    float wmax = 0;
    for (float v : m.values) wmax = std::max(wmax, std::fabs(v));
    const std::string stem = matrix_file_name(m.name);
    const auto cells = static_cast<size_t>(t.xbar_rows * t.xbar_cols);
    std::vector<double> gpos(cells), gneg(cells);
    for (size_t i = 0; i < t.row_blocks.size(); ++i) {
      for (size_t j = 0; j < t.col_blocks.size(); ++j) {
        const hw::Block rb = t.row_blocks[i], cb = t.col_blocks[j];
        const int64_t index = t.tile_index(i, j);
        std::fill(gpos.begin(), gpos.end(), o.g_off);  // padding and zero weights: both at g_off
        std::fill(gneg.begin(), gneg.end(), o.g_off);
        bool empty = true;
        for (int64_t r = rb.begin; r < rb.end; ++r) {
          for (int64_t c = cb.begin; c < cb.end; ++c) {
            const float w = m.at(r, c);
            if (std::fabs(w) <= thr) continue;  // no connection, as the cost model counts it
            empty = false;
            const size_t k = static_cast<size_t>((r - rb.begin) * t.xbar_cols + (c - cb.begin));
            (w > 0 ? gpos : gneg)[k] = quantised_conductance(std::fabs(w) / wmax, o);
          }
        }
        const std::string base = fmt::format("{}_t{}", stem, index);
        const std::string pos_name = base + "_gpos." + ext, neg_name = base + "_gneg." + ext;
        const auto pos_path = (std::filesystem::path(dir) / pos_name).string();
        const auto neg_path = (std::filesystem::path(dir) / neg_name).string();
        if (o.format == ExportFormat::Npy) {
          write_npy(pos_path, t.xbar_rows, t.xbar_cols, gpos);
          write_npy(neg_path, t.xbar_rows, t.xbar_cols, gneg);
        } else {
          write_csv(pos_path, t.xbar_rows, t.xbar_cols, gpos);
          write_csv(neg_path, t.xbar_rows, t.xbar_cols, gneg);
        }
        result.files.push_back(pos_path);
        result.files.push_back(neg_path);
        tiles.push_back({{"matrix", m.name},
                         {"tile", index},
                         {"row_block", i},
                         {"col_block", j},
                         {"rows", {rb.begin, rb.end}},
                         {"cols", {cb.begin, cb.end}},
                         {"xbar_rows", t.xbar_rows},
                         {"xbar_cols", t.xbar_cols},
                         {"empty", empty},
                         {"g_pos", pos_name},
                         {"g_neg", neg_name},
                         {"g_on", o.g_on},
                         {"g_off", o.g_off},
                         {"levels", o.levels},
                         {"scale", wmax}});
        ++result.tiles;
      }
    }
  }
  const nlohmann::json manifest = {
      {"format", ext},
      {"g_on", o.g_on},
      {"g_off", o.g_off},
      {"levels", o.levels},
      {"crossbar", {{"rows", hw.xbar.rows}, {"cols", hw.xbar.cols}}},
      {"tiling_policy", hw::to_string(hw.policy)},
      {"weight", "w = (G+ - G-) / (g_on - g_off) * scale; rows/cols are [begin, end) in the matrix; "
                 "cells past end are padding at g_off"},
      {"tiles", tiles}};
  result.manifest_path = (std::filesystem::path(dir) / "crossbars.json").string();
  std::ofstream out(result.manifest_path);
  if (!out) throw Error("cannot write " + result.manifest_path + "; check that the directory is writable");
  out << manifest.dump(2) << '\n';
  if (!out) throw Error("failed while writing " + result.manifest_path + "; check free disk space");
  return result;
}

}  // namespace xbarcut::report
