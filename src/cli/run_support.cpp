// Shared run helpers for the CLI.
#include "cli/run_support.hpp"

#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/core.h>

#include "common/error.hpp"
#include "data/dataset_locator.hpp"

namespace xbarcut::cli {

namespace {
std::string g_command_line;
}

void setup_threads(int threads) {
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads > 0 ? threads : hw);
}

LoadedData load_data(const std::string& dataset, const std::string& data_dir, const train::InputTransform* input) {
  LoadedData d;
  d.raw = data::load_dataset(dataset, data_dir);
  d.input = input ? *input : train::InputTransform::for_dataset(dataset, d.raw.train);
  d.train = train::TensorDataset::from(d.raw.train, d.input);
  d.test = train::TensorDataset::from(d.raw.test, d.input);
  d.input_shape = {d.raw.train.channels, d.raw.train.height, d.raw.train.width};
  d.classes = d.raw.train.num_classes;
  return d;
}

void write_text_atomic(const std::string& path, const std::string& text) {
  const auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    if (!out) throw Error("cannot write " + path + ": check the directory is writable");
    out << text;
    if (!out) throw Error("cannot write " + path + ": disk full?");
  }
  std::filesystem::rename(tmp, path);
}

void write_json(const std::string& path, const nlohmann::json& j) { write_text_atomic(path, j.dump(2) + "\n"); }

nlohmann::json machine_info() {
  std::string cpu;
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  return {{"cpu", cpu}, {"hardware_threads", std::thread::hardware_concurrency()},
          {"torch_threads", torch::get_num_threads()}};
}

std::string command_line() { return g_command_line; }

void set_command_line(int argc, char** argv) {
  g_command_line = "xbarcut";
  for (int i = 1; i < argc; ++i) g_command_line += std::string(" ") + argv[i];
}

}  // namespace xbarcut::cli
