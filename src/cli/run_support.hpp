// Helpers shared by the subcommands: thread set-up, dataset loading as tensors, JSON output files.
#pragma once
#include <torch/torch.h>

#include <nlohmann/json.hpp>
#include <string>

#include "data/dataset_locator.hpp"
#include "train/tensor_dataset.hpp"

namespace xbarcut::cli {

// LibTorch defaults to half the hardware threads; training is faster with all of them.
void setup_threads(int threads);

struct LoadedData {
  data::DatasetSplit raw;
  train::TensorDataset train;
  train::TensorDataset test;
  train::InputTransform input;
  std::vector<int64_t> input_shape;  // C, H, W
  int64_t classes = 10;
};

// Loads both splits and normalises them; `input` given (from a checkpoint) is reused, else derived.
LoadedData load_data(const std::string& dataset, const std::string& data_dir,
                     const train::InputTransform* input = nullptr);

// Both write to a temporary file and rename it, so a reader never sees half a file.
void write_text_atomic(const std::string& path, const std::string& text);
void write_json(const std::string& path, const nlohmann::json& j);
nlohmann::json machine_info();
// The command line as typed, recorded in every summary so each figure names its command.
std::string command_line();
void set_command_line(int argc, char** argv);

}  // namespace xbarcut::cli
