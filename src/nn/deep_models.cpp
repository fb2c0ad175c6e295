// VGG8 as used for CIFAR-10 in the crossbar-aware pruning paper (and the ReRAM literature around it):
//   [conv3x3-128, bn, relu] x2, maxpool 2; [conv3x3-256, bn, relu] x2, maxpool 2;
//   [conv3x3-512, bn, relu] x2, maxpool 2; flatten (512*4*4 = 8192); fc 1024, relu; fc classes.
// All convs pad 1, stride 1, no bias (bn supplies it). "vgg8:0.25" multiplies every conv width and fc1 by
// 0.25 (32-32-64-64-128-128, fc 256): our affordable CPU variant.
// VGG16 is torchvision's vgg16_bn (13 convs, fc 4096-4096), ResNet18 torchvision's resnet18, ResNet20 He et
// al.'s CIFAR net (3 stages of 3 basic blocks, 16-32-64 channels); both ResNets use 1x1-conv + bn projection
// shortcuts where the shape changes (option B) so every shortcut is a crossbar matrix.
#include "nn/deep_models.hpp"

#include <algorithm>
#include <cmath>

#include "common/error.hpp"

namespace xbarcut::nn {

namespace {

LayerSpec conv(const std::string& name, int64_t out, int64_t kernel, int64_t stride, int64_t pad) {
  LayerSpec l;
  l.kind = "conv";
  l.name = name;
  l.out = out;
  l.kernel = kernel;
  l.stride = stride;
  l.pad = pad;
  l.bias = false;
  l.init = "kaiming";
  l.lr_mult_bias = 1.0;
  return l;
}

LayerSpec bn(const std::string& conv_name, int64_t channels) {
  LayerSpec l;
  l.kind = "bn";
  l.name = conv_name + "_bn";
  l.out = channels;
  return l;
}

LayerSpec op(const std::string& kind, int64_t kernel = 1, int64_t stride = 1) {
  LayerSpec l;
  l.kind = kind;
  l.kernel = kernel;
  l.stride = stride;
  return l;
}

LayerSpec fc(const std::string& name, int64_t out) {
  LayerSpec l;
  l.kind = "linear";
  l.name = name;
  l.out = out;
  l.init = "kaiming";
  l.lr_mult_bias = 1.0;
  return l;
}

void conv_bn_relu(std::vector<LayerSpec>& layers, const std::string& name, int64_t out, int64_t kernel = 3,
                  int64_t stride = 1, bool relu = true) {
  layers.push_back(conv(name, out, kernel, stride, kernel / 2));
  layers.push_back(bn(name, out));
  if (relu) layers.push_back(op("relu"));
}

double width_multiplier(const std::string& model) {
  const auto colon = model.find(':');
  if (colon == std::string::npos) return 1.0;
  try {
    size_t used = 0;
    const double w = std::stod(model.substr(colon + 1), &used);
    if (used != model.size() - colon - 1 || !(w > 0) || w > 4) throw std::invalid_argument(model);
    return w;
  } catch (const std::exception&) {
    throw Error("bad model '" + model + "': give a width multiplier in (0, 4], e.g. vgg8:0.25");
  }
}

int64_t scaled(int64_t width, double multiplier) {
  return std::max<int64_t>(1, static_cast<int64_t>(std::llround(static_cast<double>(width) * multiplier)));
}

NetSpec vgg(const std::string& model, const std::vector<std::vector<int64_t>>& stages,
            const std::vector<int64_t>& hidden, double w, int64_t classes) {
  NetSpec s;
  s.name = model;
  s.classes = classes;
  int n = 0;
  for (const auto& stage : stages) {
    for (int64_t width : stage) conv_bn_relu(s.layers, "conv" + std::to_string(++n), scaled(width, w));
    s.layers.push_back(op("maxpool", 2, 2));
  }
  s.layers.push_back(op("flatten"));
  int f = 0;
  for (int64_t width : hidden) {
    s.layers.push_back(fc("fc" + std::to_string(++f), scaled(width, w)));
    s.layers.push_back(op("relu"));
  }
  s.layers.push_back(fc("fc" + std::to_string(++f), classes));
  return s;
}

// One basic block: conv3x3-bn-relu-conv3x3-bn, plus a 1x1 projection when stride or width change; then relu.
void basic_block(std::vector<LayerSpec>& layers, const std::string& name, int64_t in, int64_t out, int64_t stride) {
  layers.push_back(op("res_begin"));
  conv_bn_relu(layers, name + "_conv1", out, 3, stride);
  conv_bn_relu(layers, name + "_conv2", out, 3, 1, false);
  if (stride != 1 || in != out) {
    layers.push_back(op("res_shortcut"));
    conv_bn_relu(layers, name + "_down", out, 1, stride, false);
  }
  layers.push_back(op("res_add"));
  layers.push_back(op("relu"));
}

NetSpec resnet(const std::string& model, int64_t stem, const std::vector<int64_t>& widths, int blocks,
               bool imagenet_stem, int64_t classes) {
  NetSpec s;
  s.name = model;
  s.classes = classes;
  if (imagenet_stem) {
    conv_bn_relu(s.layers, "conv1", stem, 7, 2);
    s.layers.push_back(op("maxpool", 3, 2));
  } else {
    conv_bn_relu(s.layers, "conv1", stem, 3, 1);
  }
  int64_t in = stem;
  for (size_t stage = 0; stage < widths.size(); ++stage) {
    for (int b = 0; b < blocks; ++b) {
      const int64_t stride = (stage > 0 && b == 0) ? 2 : 1;
      basic_block(s.layers, "l" + std::to_string(stage + 1) + "b" + std::to_string(b), in, widths[stage], stride);
      in = widths[stage];
    }
  }
  s.layers.push_back(op("gap"));
  s.layers.push_back(op("flatten"));
  s.layers.push_back(fc("fc", classes));
  return s;
}

}  // namespace

bool is_deep_model(const std::string& model) {
  return model == "vgg8" || model.rfind("vgg8:", 0) == 0 || model == "vgg16" || model == "resnet20" ||
         model == "resnet18";
}

NetSpec make_deep_model(const std::string& model, const std::vector<int64_t>& input, int64_t classes) {
  NetSpec s;
  if (model == "vgg8" || model.rfind("vgg8:", 0) == 0)
    s = vgg(model, {{128, 128}, {256, 256}, {512, 512}}, {1024}, width_multiplier(model), classes);
  else if (model == "vgg16")
    s = vgg(model, {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}}, {4096, 4096}, 1.0,
            classes);
  else if (model == "resnet20")
    s = resnet(model, 16, {16, 32, 64}, 3, false, classes);
  else if (model == "resnet18")
    s = resnet(model, 64, {64, 128, 256, 512}, 2, true, classes);
  else
    throw Error("unknown model '" + model + "'");
  s.input = input;
  return s;
}

std::string deep_models_help() {
  return "vgg8 (CIFAR VGG8 with bn), vgg8:0.25 (width multiplier), vgg16 (ImageNet vgg16_bn), resnet20 (CIFAR), "
         "resnet18 (ImageNet)";
}

}  // namespace xbarcut::nn
