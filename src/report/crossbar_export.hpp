// Exports each crossbar tile of trained matrices as a differential conductance pair G+ / G-
// (npy or csv) plus a JSON manifest, ready for a circuit simulator or a chip programmer.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "hw/network_cost.hpp"
#include "hw/weight_matrix.hpp"

namespace xbarcut::report {

enum class ExportFormat { Npy, Csv };

// "npy" or "csv"; anything else throws xbarcut::Error.
ExportFormat parse_export_format(const std::string& text);
std::string to_string(ExportFormat format);

struct ExportOptions {
  ExportFormat format = ExportFormat::Npy;
  // Siemens. A typical HfOx/TaOx RRAM window: 10 kOhm on, 1 MOhm off (on/off ratio 100).
  double g_on = 1e-4;
  double g_off = 1e-6;
  // Programmable conductance levels per device, g_off and g_on included (16 = 4 bits).
  int64_t levels = 16;
};

// Throws xbarcut::Error unless g_on > g_off >= 0 and levels >= 2.
void validate(const ExportOptions& options);

// The conductance for a weight magnitude |w| / wmax in [0, 1], quantised to options.levels:
// g_off + (g_on - g_off) * round(fraction * (levels - 1)) / (levels - 1).
double quantised_conductance(double fraction, const ExportOptions& options);

struct ExportResult {
  std::string manifest_path;  // <dir>/crossbars.json
  int64_t tiles = 0;          // every tile of every matrix, empty ones included (flagged in the manifest)
  std::vector<std::string> files;  // conductance files written, two per tile
};

// For every matrix and every tile of its tiling (as `hw` gives it): writes
// <dir>/<matrix>_t<index>_gpos.<ext> and _gneg.<ext>, each xbar_rows x xbar_cols (padding at g_off),
// with w > 0 on G+ and w < 0 on G-, scale = max |w| of the matrix, so
// w ~= (G+ - G-) / (g_on - g_off) * scale; |w| <= hw.zero_threshold counts as no connection.
// Creates `dir`. Throws xbarcut::Error on a matrix without values, bad options, or an unwritable file.
ExportResult export_crossbars(const std::vector<hw::WeightMatrix>& matrices, const hw::HardwareOptions& hw,
                              const std::string& dir, const ExportOptions& options = {});

}  // namespace xbarcut::report
