// Batch-normalised models of the crossbar-aware pruning paper: VGG8 (CIFAR-10), VGG16 and ResNet18
// (ImageNet shapes), ResNet20 (CIFAR-10). Every conv is followed by its own bn layer and has no bias.
#pragma once
#include <string>
#include <vector>

#include "nn/net_spec.hpp"

namespace xbarcut::nn {

// "vgg8", "vgg8:<width multiplier>", "vgg16", "resnet20", "resnet18".
bool is_deep_model(const std::string& model);
NetSpec make_deep_model(const std::string& model, const std::vector<int64_t>& input, int64_t classes);
std::string deep_models_help();

}  // namespace xbarcut::nn
