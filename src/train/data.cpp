#include "train/data.hpp"

#include <thread>

#include <fmt/core.h>

#include "common/error.hpp"
#include "data/dataset_info.hpp"
#include "data/dataset_locator.hpp"

namespace xbarcut::train {

Data load_data(const std::string& dataset, const std::string& data_dir, const InputTransform* input) {
  const auto raw = data::load_dataset(dataset, data_dir);  // the pixels are dropped once they are tensors
  Data d;
  d.name = dataset;
  d.input = input ? *input : InputTransform::for_dataset(dataset, raw.train);
  d.train = TensorDataset::from(raw.train, d.input);
  d.test = TensorDataset::from(raw.test, d.input);
  d.input_shape = {raw.train.channels, raw.train.height, raw.train.width};
  d.classes = raw.train.num_classes;
  return d;
}

void check_input_shape(const nn::NetSpec& spec, const std::string& dataset, const std::string& origin) {
  const auto shape = data::input_shape(dataset);  // also rejects an unknown dataset name
  const std::vector<int64_t> input{shape.channels, shape.height, shape.width};
  const int64_t classes = data::num_classes(dataset);
  if (input == spec.input && classes == spec.classes) return;
  auto text = [](const std::vector<int64_t>& s) { return fmt::format("{}x{}x{}", s[0], s[1], s[2]); };
  throw Error(fmt::format("{} takes {} inputs and {} classes, but {} has {} images and {} classes; give the "
                          "--dataset it was trained on",
                          origin, text(spec.input), spec.classes, dataset, text(input), classes));
}

void keep_first_training_images(Data& d, int64_t count) {
  if (count <= 0 || count >= d.train.size()) return;
  d.train = {d.train.images.slice(0, 0, count), d.train.labels.slice(0, 0, count)};
}

void use_threads(int threads) {
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads > 0 ? threads : hw);
}

}  // namespace xbarcut::train
