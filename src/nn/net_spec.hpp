// A network described as data: input shape, classes and an ordered list of layers. The spec travels inside
// every checkpoint, so later commands rebuild the exact architecture (factorised ranks included).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace xbarcut::nn {

struct LayerSpec {
  std::string kind;  // conv, linear, relu, maxpool, avgpool, lrn, flatten
  std::string name;  // weight layers only: conv1, fc1, ... (names match REFERENCE.md)
  int64_t out = 0;   // output channels / features
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t pad = 0;
  int64_t rank = 0;  // 0 = dense; K > 0 = factorised into U (N x K) and V^T (K x M)
  bool bias = true;
  bool masked = false;  // carries fixed deletion masks (group deletion, pruning)
  std::string init = "xavier";  // xavier | gaussian:<std> | kaiming
  double lr_mult_bias = 2.0;    // Caffe prototxt habits: biases learn twice as fast
  double decay_mult_weight = 1.0;
  double decay_mult_bias = 1.0;
  // Local response normalisation (Caffe WITHIN_CHANNEL).
  int64_t local_size = 3;
  double alpha = 5e-5;
  double beta = 0.75;

  bool is_weight_layer() const { return kind == "conv" || kind == "linear"; }
};

struct NetSpec {
  std::string name;                   // lenet, convnet, mlp:784-300-10
  std::vector<int64_t> input{1, 28, 28};  // C, H, W
  int64_t classes = 10;
  std::vector<LayerSpec> layers;

  bool is_conv_net() const;
  // Index of the last weight layer: the classifier, which rank clipping never touches.
  int classifier_index() const;
  LayerSpec& layer(const std::string& name);
  const LayerSpec& layer(const std::string& name) const;
  std::vector<std::string> weight_layer_names() const;
};

// Shape of one weight layer as a crossbar matrix: rows = inputs (C_in*k*k), cols = outputs,
// uses = how often the matrix is read per inference (output pixels of a conv).
struct LayerGeometry {
  std::string name;
  std::string kind;
  int64_t in_channels = 0;
  int64_t rows = 0;
  int64_t cols = 0;
  int64_t uses = 1;
  int64_t rank = 0;
};

// Walks the spec with the input shape and returns every weight layer's geometry; throws on impossible
// shapes (a kernel larger than its input, an mlp whose first width is not the input size).
std::vector<LayerGeometry> layer_geometry(const NetSpec& spec);

// Known models: "lenet", "convnet", "mlp:784-300-100-10". input = C, H, W of the dataset.
NetSpec make_net_spec(const std::string& model, const std::vector<int64_t>& input, int64_t classes);
std::string known_models_help();

nlohmann::json to_json(const NetSpec& spec);
NetSpec net_spec_from_json(const nlohmann::json& j);

}  // namespace xbarcut::nn
