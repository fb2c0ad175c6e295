// What `--dataset` names: a built-in dataset (mnist, cifar10, cifar100, ...) or the user's own data, an image
// folder (`images:DIR`) or NumPy arrays (`npz:FILE`, `npy:DIR`). How the data is read (resize, crop, layout,
// normalisation) travels in the same text as a query, `images:/data/pets?resize=64x64&crop=56x56`, so one string
// names the data everywhere: in flags, in TOML experiments, and in every checkpoint's "dataset".
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace xbarcut::data {

enum class SourceKind { BuiltIn, ImageFolder, NumpyArrays };

struct DataSource {
  SourceKind kind = SourceKind::BuiltIn;
  std::string name;  // the built-in name, or the form: images, npz, npy
  std::string path;  // images:/npz:/npy: path, absolute once parsed
  // Image folders: resize every image to exactly HxW, then take the centre HxW crop (0 = none); 1 or 3 channels
  // (0 = 3 when any image has colour, else 1); skip unreadable images instead of refusing them.
  int64_t resize_height = 0, resize_width = 0, crop_height = 0, crop_width = 0;
  int64_t channels = 0;
  bool skip_bad_images = false;
  // NumPy arrays: "auto", "nchw" or "nhwc".
  std::string layout = "auto";
  // Per-channel normalisation in 0..1 units (as torchvision states it); empty = computed from the training set.
  std::vector<double> mean, std;

  bool builtin() const { return kind == SourceKind::BuiltIn; }
  // The canonical text: parse(text()) gives the same source, options in a fixed order, defaults left out.
  std::string text() const;
};

// Parses `--dataset`'s value; a relative path is made absolute (a checkpoint must name the same data from any
// folder). Throws a one-line Error naming the part that is wrong: an unknown name (listing the valid ones and the
// images:/npz:/npy: forms), an empty path, an unknown option, a malformed HxW or number list.
DataSource parse_data_source(const std::string& text);

// "HxW" (or "N" for NxN) -> {H, W}, both >= 1; `what` names the option in the message.
std::pair<int64_t, int64_t> parse_size(const std::string& text, const std::string& what);

// "0.485,0.456,0.406" -> numbers; `what` names the option in the message.
std::vector<double> parse_numbers(const std::string& text, const std::string& what);

}  // namespace xbarcut::data
