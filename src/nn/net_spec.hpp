// A network described as data: input shape, classes and an ordered list of layers. The spec travels inside
// every checkpoint, so later commands rebuild the exact architecture (factorised ranks included).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace xbarcut::nn {

struct LayerSpec {
  // conv, linear; relu, relu6, hardswish, sigmoid, gelu; maxpool, avgpool, gap (global average pool to 1x1);
  // lrn; flatten; bn (batch norm); add, concat (of the layers named in `inputs`); dropout and identity (no-ops at
  // inference); res_begin / res_shortcut / res_add (a residual block of the built-in models, see below).
  std::string kind;
  std::string name;  // weight layers and bn: conv1, fc1, conv1_bn ... (the papers' names, docs/reference.md section 1)
  int64_t out = 0;   // output channels / features (bn: its channels)
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t pad = 0;
  int64_t dilation = 1;  // conv
  int64_t groups = 1;    // conv: grouped (depthwise when groups = input channels = output channels)
  bool ceil_mode = true;  // pooling: Caffe pools in ceil mode (the built-in models); PyTorch's default is floor
  // The layers this one reads, by name ("input" = the network's input); empty = the layer before it. A network
  // is a DAG as Caffe's prototxt is: skip connections, branches and concatenations are ordinary layers.
  std::vector<std::string> inputs;
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
  double eps = 1e-5;  // bn: the variance epsilon (PyTorch's default)

  bool is_weight_layer() const { return kind == "conv" || kind == "linear"; }
  bool grouped() const { return kind == "conv" && groups > 1; }
  bool is_residual_op() const { return kind == "res_begin" || kind == "res_shortcut" || kind == "res_add"; }
};

// A residual block in the flat layer list: res_begin remembers its input x; the main path follows;
// res_shortcut (optional) keeps the main path's result and restarts from x for a projection path;
// res_add adds the two (main + projection, or main + x when there was no res_shortcut). Blocks nest.

struct NetSpec {
  std::string name;                   // lenet, convnet, mlp:784-300-10
  std::vector<int64_t> input{1, 28, 28};  // C, H, W
  int64_t classes = 10;
  std::vector<LayerSpec> layers;

  bool is_conv_net() const;
  LayerSpec& layer(const std::string& name);
  const LayerSpec& layer(const std::string& name) const;
  std::vector<std::string> weight_layer_names() const;
  bool has_residual() const;
  // Index of the bn layer normalising the weight layer at `weight_index` (it follows it directly), or -1.
  int batch_norm_after(int weight_index) const;
};

// Shape of one weight layer as a crossbar matrix: rows = inputs (C_in*k*k), cols = outputs,
// uses = how often the matrix is read per inference (output pixels of a conv). A grouped conv is one block-diagonal
// matrix of C_in*k*k rows (the zeros off its blocks occupy crossbar cells too; docs/hardware_model.md).
struct LayerGeometry {
  std::string name;
  std::string kind;
  int64_t in_channels = 0;
  int64_t rows = 0;
  int64_t cols = 0;
  int64_t uses = 1;
  int64_t rank = 0;
  int64_t groups = 1;
};

// Output shape (C, H, W; H = W = 1 once flat) of every layer of the spec, in order.
struct LayerShape {
  int64_t c = 0, h = 0, w = 0;
  bool flat = false;
};
std::vector<LayerShape> layer_shapes(const NetSpec& spec);

// For every layer, the indices of the layers it reads (-1 = the network's input); empty = the layer before it.
// Throws a one-line Error for a name that is not an earlier layer, or a name used twice.
std::vector<std::vector<int>> input_indices(const NetSpec& spec);

// Walks the spec with the input shape and returns every weight layer's geometry; throws on impossible
// shapes (a kernel larger than its input, an mlp whose first width is not the input size).
std::vector<LayerGeometry> layer_geometry(const NetSpec& spec);

// Known models: "lenet", "convnet", "mlp:784-300-100-10", "vgg8", "vgg8:0.25" (width multiplier), "vgg16",
// "resnet20", "resnet18" (see deep_models.hpp). input = C, H, W of the dataset.
NetSpec make_net_spec(const std::string& model, const std::vector<int64_t>& input, int64_t classes);
std::string known_models_help();

nlohmann::json to_json(const NetSpec& spec);
NetSpec net_spec_from_json(const nlohmann::json& j);

}  // namespace xbarcut::nn
