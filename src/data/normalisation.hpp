// The input normalisation of the Caffe reference models, stated once so the torch side applies the
// same numbers: MNIST-like digits scale by 1/256, CIFAR-10 subtracts the training set's mean image.
#pragma once
#include <string>
#include <vector>

#include "data/image_set.hpp"

namespace xbarcut::data {

struct Normalisation {
  // x = (pixel - mean_image[c,y,x]) * scale, in this order (Caffe's DataTransformer order).
  float scale = 1.0f;
  bool subtract_mean_image = false;  // mean image computed by mean_image() on the training split
  // Per channel, (pixel / 255 - mean) / std from the training split, as PyTorch recipes do: datasets without a
  // Caffe reference model (CIFAR-100) and the user's own data.
  bool per_channel = false;
};

// Caffe's lenet_train_test.prototxt uses scale 0.00390625 (1/256, not 1/255); cifar10_quick uses the
// mean.binaryproto of the training set and no scale; CIFAR-100 is normalised per channel. Throws for an unknown
// dataset name.
Normalisation normalisation_for(const std::string& dataset_name);

// The per-pixel mean over all images, channels*height*width floats in CHW order. Empty set -> zeros.
std::vector<float> mean_image(const ImageSet& set);

}  // namespace xbarcut::data
