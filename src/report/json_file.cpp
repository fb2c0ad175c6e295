#include "report/json_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/atomic_write.hpp"
#include "common/error.hpp"

namespace xbarcut::report {

void write_text_atomic(const std::string& path, const std::string& text) {
  write_atomically(path, "file", [&](const std::string& tmp) {
    std::ofstream out(tmp);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("write failed");
  });
}

void write_json(const std::string& path, const nlohmann::json& j) { write_text_atomic(path, j.dump(2) + "\n"); }

nlohmann::json read_json_or_null(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

}  // namespace xbarcut::report
