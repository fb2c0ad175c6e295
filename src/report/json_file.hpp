// Text and JSON output files written atomically: a temporary file renamed over the target, so a reader
// (or a run killed half-way) never sees half a file.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace xbarcut::report {

// Creates the parent folder; throws a one-line xbarcut::Error when the file cannot be written.
void write_text_atomic(const std::string& path, const std::string& text);
void write_json(const std::string& path, const nlohmann::json& j);
// The parsed file, or null when it is missing or not valid JSON.
nlohmann::json read_json_or_null(const std::string& path);

}  // namespace xbarcut::report
