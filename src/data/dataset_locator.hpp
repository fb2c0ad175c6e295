// Finds a dataset on disk and loads its train and test splits: --data-dir, else XBARCUT_DATA, else
// the folder a distribution package installs (Fashion-MNIST on Debian), so a fresh machine just works.
#pragma once
#include <string>

#include "data/dataset_info.hpp"
#include "data/image_set.hpp"

namespace xbarcut::data {

// Environment variable naming a data folder, used when no explicit data_dir is given.
constexpr const char* kDataDirEnv = "XBARCUT_DATA";

struct DatasetSplit {
  ImageSet train;
  ImageSet test;
};

// The folder holding all of the dataset's files (each as name or name.gz). A data folder may hold
// the files directly or in a subfolder named after the dataset (mnist/, fashion-mnist/, cifar10/, or
// cifar-10-batches-bin/ as the official archive unpacks). A non-empty data_dir is the only place
// searched; otherwise $XBARCUT_DATA then the system folder. Throws one line saying where it looked.
std::string locate_dataset(const std::string& name, const std::string& data_dir);

// Both splits with num_classes set and name = the dataset name. Throws xbarcut::Error for an unknown
// name, missing or corrupt files, or images whose shape is not the dataset's input_shape().
DatasetSplit load_dataset(const std::string& name, const std::string& data_dir);

}  // namespace xbarcut::data
