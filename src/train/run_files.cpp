#include "train/run_files.hpp"

#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/core.h>

#include "data/data_source.hpp"
#include "data/open_dataset.hpp"
#include "report/json_file.hpp"

namespace xbarcut::train {

void write_model(const std::string& dir, const nn::Net& net, const InputTransform& input, int64_t iter,
                 const nlohmann::json& info) {
  Checkpoint ckpt;
  ckpt.net = net;
  ckpt.input = input;
  ckpt.iter = iter;
  ckpt.info = info;
  save_checkpoint((std::filesystem::path(dir) / "model.pt").string(), ckpt);
}

void write_summary(const std::string& dir, nlohmann::json summary) {
  summary["machine"] = machine_info();
  report::write_json((std::filesystem::path(dir) / "summary.json").string(), summary);
}

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

std::string dataset_of(const Checkpoint& ckpt, const std::string& dataset) {
  return dataset.empty() ? ckpt.info.value("dataset", std::string("fashion-mnist")) : canonical_dataset(dataset);
}

TrainedNetwork open_trained_network(const std::string& checkpoint, const std::string& dataset,
                                    const std::string& data_dir, int threads,
                                    const std::function<void(const Checkpoint&)>& check) {
  auto ckpt = load_checkpoint(checkpoint);
  if (check) check(ckpt);
  return open_trained_network(std::move(ckpt), checkpoint, dataset, data_dir, threads);
}

TrainedNetwork open_trained_network(Checkpoint ckpt, const std::string& checkpoint, const std::string& dataset,
                                    const std::string& data_dir, int threads) {
  TrainedNetwork t;
  t.path = checkpoint;
  t.ckpt = std::move(ckpt);
  const auto spec = t.ckpt.net->spec();
  t.model = t.ckpt.info.value("model", spec.name);
  t.dataset = dataset_of(t.ckpt, dataset);
  check_input_shape(spec, t.dataset, "checkpoint " + checkpoint);
  use_threads(threads);
  fmt::print(stderr, "loading {} ...\n", t.dataset);
  // An imported network records no normalisation: it takes the dataset's own, kept in every checkpoint after.
  const bool from_dataset = t.ckpt.info.value("input_transform", "") == "dataset";
  t.data = load_data(t.dataset, data_dir, from_dataset ? nullptr : &t.ckpt.input, &spec.input);
  check_loaded_shape(spec, t.data, "checkpoint " + checkpoint);
  t.dataset = t.data.name;
  t.ckpt.input = t.data.input;
  if (spec.is_conv_net()) t.ckpt.net->use_channels_last();
  return t;
}

TrainedNetwork new_network(const std::string& model, const std::string& dataset, const std::string& data_dir,
                           int threads, uint64_t seed) {
  data::InputShape shape;
  int classes = 0;
  if (data::known_without_reading(data::parse_data_source(dataset), shape, classes)) {
    nn::make_net_spec(model, {shape.channels, shape.height, shape.width}, classes);  // a bad model name fails now
  }
  TrainedNetwork t;
  t.model = model;
  use_threads(threads);
  fmt::print(stderr, "loading {} ...\n", dataset);
  t.data = load_data(dataset, data_dir);
  t.dataset = t.data.name;
  torch::manual_seed(seed);
  t.ckpt.net = nn::Net(nn::make_net_spec(model, t.data.input_shape, t.data.classes));
  t.ckpt.input = t.data.input;
  if (t.ckpt.net->spec().is_conv_net()) t.ckpt.net->use_channels_last();
  return t;
}

}  // namespace xbarcut::train
