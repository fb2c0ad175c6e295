#include "train/data.hpp"

#include <thread>

#include <fmt/core.h>

#include "common/error.hpp"
#include "data/data_source.hpp"
#include "data/open_dataset.hpp"

namespace xbarcut::train {
namespace {

std::string shape_text(const std::vector<int64_t>& s) { return fmt::format("{}x{}x{}", s[0], s[1], s[2]); }

void check_shapes(const nn::NetSpec& spec, const std::vector<int64_t>& input, int64_t classes,
                  const std::string& dataset, const std::string& origin, const std::string& hint) {
  if (input == spec.input && classes == spec.classes) return;
  throw Error(fmt::format("{} takes {} inputs and {} classes, but {} has {} images and {} classes; {}", origin,
                          shape_text(spec.input), spec.classes, dataset, shape_text(input), classes, hint));
}

}  // namespace

std::string canonical_dataset(const std::string& dataset) { return data::parse_data_source(dataset).text(); }

Data load_data(const std::string& dataset, const std::string& data_dir, const InputTransform* input,
               const std::vector<int64_t>* fit) {
  const data::DataSource source = data::parse_data_source(dataset);
  data::InputShape fit_shape;
  if (fit) fit_shape = {(*fit)[0], (*fit)[1], (*fit)[2]};
  data::OpenedDataset raw = data::open_dataset(source, data_dir, fit ? &fit_shape : nullptr);
  Data d;
  d.name = source.text();
  d.input = input ? *input : InputTransform::for_dataset(source, raw.train);
  d.input_shape = {raw.shape.channels, raw.shape.height, raw.shape.width};
  d.classes = raw.num_classes;
  d.class_names = raw.class_names;
  d.train = TensorDataset::from(std::move(raw.train), d.input);  // the pixels move into the tensors
  d.test = TensorDataset::from(std::move(raw.test), d.input);
  return d;
}

void check_input_shape(const nn::NetSpec& spec, const std::string& dataset, const std::string& origin) {
  data::InputShape shape;
  int classes = 0;
  if (!data::known_without_reading(data::parse_data_source(dataset), shape, classes)) return;
  check_shapes(spec, {shape.channels, shape.height, shape.width}, classes, dataset, origin,
               "give the --dataset it was trained on");
}

void check_loaded_shape(const nn::NetSpec& spec, const Data& data, const std::string& origin) {
  check_shapes(spec, data.input_shape, data.classes, data.name, origin,
               "give the data it was trained on, or --resize / --channels to convert the images");
}

void keep_first_training_images(Data& d, int64_t count) { d.train = d.train.first(count); }

void use_threads(int threads) {
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads > 0 ? threads : hw);
}

}  // namespace xbarcut::train
