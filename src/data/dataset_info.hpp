// The fixed facts of each supported dataset: name, input shape, classes, file names. One table, so a
// new dataset is one entry here plus a reader.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace xbarcut::data {

// CifarBinary: CIFAR-10's batches; Cifar100Binary: CIFAR-100's train.bin and test.bin, whose fine or
// coarse labels are kept as the entry's num_classes says (100 or 20).
enum class DatasetFormat { Idx, CifarBinary, Cifar100Binary };

struct InputShape {
  int64_t channels = 0;
  int64_t height = 0;
  int64_t width = 0;
};

struct DatasetInfo {
  std::string name;                      // "mnist", "fashion-mnist", "cifar10", "cifar10-grey", "cifar100", ...
  DatasetFormat format = DatasetFormat::Idx;
  InputShape shape;
  int num_classes = 0;
  std::vector<std::string> class_names;  // num_classes entries, for reports
  int64_t train_count = 0;               // the canonical split sizes, for messages and sanity checks
  int64_t test_count = 0;
  std::vector<std::string> train_files;  // without .gz; IDX: images then labels
  std::vector<std::string> test_files;
  std::vector<std::string> subfolders;   // folder names under a data dir that may hold it
  std::string system_dir;                // where a distribution package installs it, or empty
  std::string install_hint;              // how to get it, for "not found" messages
};

// The supported names in order, for --help and error messages.
std::vector<std::string> dataset_names();
// "mnist, fashion-mnist, cifar10, cifar10-grey, cifar100, cifar100-coarse"
std::string dataset_names_joined();

// Throws xbarcut::Error listing the valid names if `name` is unknown.
const DatasetInfo& dataset_info(const std::string& name);

int num_classes(const std::string& name);
InputShape input_shape(const std::string& name);

}  // namespace xbarcut::data
