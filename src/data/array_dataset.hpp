// A dataset handed over as NumPy arrays: x_train, y_train, x_test, y_test, in one .npz or as four .npy files
// in a folder (the layout of keras.datasets and of most "save my tensors" scripts). Images become 8-bit CHW
// ImageSets, so everything downstream treats them like the built-in datasets.
#pragma once
#include <string>

#include "data/dataset_locator.hpp"

namespace xbarcut::data {

// How a 4-D image array orders its axes. Auto reads it from the shape: channels (1 or 3) last is NHWC
// (numpy, Keras, PIL), channels second is NCHW (PyTorch); a shape that fits both or neither needs the choice.
enum class ArrayLayout { Auto, NCHW, NHWC };

// Both splits from `source`, an .npz file or a folder of .npy files (each may be gzip'd).
// Images: (N, H, W) for one grey channel, or (N, C, H, W) / (N, H, W, C). uint8 is taken as is; other
// integers and floats must lie in [0, 255], and floats whose maximum over both splits is <= 1 (as
// torchvision's ToTensor writes) are scaled by 255; every value is rounded to the nearest byte.
// Labels: (N,) integer arrays (or (N, 1), as Keras writes them), 0 .. num_classes-1, where num_classes is
// the largest training label + 1; a test label beyond it is refused. Both sets are named `source`.
// Throws one line naming the file and the array for anything else.
DatasetSplit read_array_dataset(const std::string& source, ArrayLayout layout);

}  // namespace xbarcut::data
