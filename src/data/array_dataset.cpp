// NumPy arrays to ImageSets. Everything about the arrays (shapes, dtypes, counts, value ranges, labels) is
// checked before any pixel is converted, so a wrong file is refused in one line before the slow work starts.
#include "data/array_dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <type_traits>

#include "common/error.hpp"
#include "data/compressed_file.hpp"
#include "data/numpy_arrays.hpp"

namespace xbarcut::data {
namespace fs = std::filesystem;
namespace {

// .npy data is little-endian and its bytes are read in place.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the NumPy reader assumes a little-endian host");

const char* const kNames[] = {"x_train", "y_train", "x_test", "y_test"};
const char* const kUnNormalise =
    "xbarcut stores 8-bit pixels: un-normalise first (x * std + mean) and save values in [0, 1] or [0, 255]";

struct NamedArray {
  std::string name;   // "x_train"
  std::string where;  // the file (and the member in an .npz), for messages
  NumpyArray array;
};

// Calls visit(T{}) with the C++ type of a numeric dtype; returns false for any other dtype.
template <typename Visit>
bool visit_numeric(const std::string& dtype, Visit&& visit) {
  if (dtype == "u1") visit(uint8_t{});
  else if (dtype == "u2") visit(uint16_t{});
  else if (dtype == "u4") visit(uint32_t{});
  else if (dtype == "u8") visit(uint64_t{});
  else if (dtype == "i1") visit(int8_t{});
  else if (dtype == "i2") visit(int16_t{});
  else if (dtype == "i4") visit(int32_t{});
  else if (dtype == "i8") visit(int64_t{});
  else if (dtype == "f4") visit(float{});
  else if (dtype == "f8") visit(double{});
  else return false;
  return true;
}

template <typename T>
T element(const NumpyArray& a, int64_t i) {
  T v;
  std::memcpy(&v, a.bytes.data() + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return v;
}

// "float32", "uint8", "bool": the dtype as numpy users name it.
std::string type_name(const std::string& dtype) {
  const std::string bits = std::to_string(NumpyArray{dtype, {}, {}}.item_size() * 8);
  switch (dtype.empty() ? ' ' : dtype[0]) {
    case 'b': return "bool";
    case 'f': return "float" + bits;
    case 'i': return "int" + bits;
    case 'u': return "uint" + bits;
    default: return dtype;
  }
}

std::map<std::string, NamedArray> load_arrays(const std::string& source) {
  const std::string expected = "x_train, y_train, x_test, y_test";
  std::map<std::string, NamedArray> named;
  std::error_code ec;
  if (fs::is_directory(source, ec)) {
    for (const std::string name : kNames) {
      const std::string path = find_maybe_gzipped(source, name + ".npy");
      if (path.empty()) {
        throw Error((fs::path(source) / (name + ".npy")).string() + " is missing; a dataset folder holds " +
                    "x_train.npy, y_train.npy, x_test.npy and y_test.npy (or pass one .npz holding " + expected + ")");
      }
      named[name] = {name, path, read_npy(path)};
    }
    return named;
  }
  if (!fs::exists(source, ec)) {
    throw Error(source + ": no such file or folder; pass an .npz holding " + expected +
                ", or a folder of x_train.npy, y_train.npy, x_test.npy and y_test.npy");
  }
  std::map<std::string, NumpyArray> arrays = read_npz(source);
  for (const std::string name : kNames) {
    const auto it = arrays.find(name);
    if (it == arrays.end()) {
      std::string held;
      for (const auto& [key, array] : arrays) held += (held.empty() ? "" : ", ") + key;
      throw Error(source + ": no array " + name + " (it holds " + (held.empty() ? "none" : held) +
                  "); save the dataset with numpy.savez(path, x_train=..., y_train=..., x_test=..., y_test=...)");
    }
    named[name] = {name, source + " (array " + name + ")", std::move(it->second)};
  }
  return named;
}

struct ImageGeometry {
  int64_t channels = 0;
  int64_t height = 0;
  int64_t width = 0;
  bool channels_last = false;
};

ImageGeometry image_geometry(const NamedArray& x, ArrayLayout layout) {
  const std::vector<int64_t>& s = x.array.shape;
  if (s.size() == 3) return {1, s[1], s[2], false};
  if (s.size() != 4) {
    throw Error(x.where + ": images of shape " + shape_text(s) + "; expected (N, H, W) for grey images, or " +
                "(N, C, H, W) or (N, H, W, C)");
  }
  bool last = layout == ArrayLayout::NHWC;
  if (layout == ArrayLayout::Auto) {
    const bool second = s[1] == 1 || s[1] == 3;
    last = s[3] == 1 || s[3] == 3;
    if (second == last) {
      throw Error(x.where + ": cannot tell the channel axis of images of shape " + shape_text(s) +
                  (last ? " (both axis 1 and axis 3 could be channels)" : " (neither axis 1 nor axis 3 is 1 or 3)") +
                  "; pass --layout nchw or --layout nhwc");
    }
  }
  if (last) return {s[3], s[1], s[2], true};
  return {s[1], s[2], s[3], false};
}

void check_images(const NamedArray& train, const NamedArray& test) {
  const std::vector<int64_t>& a = train.array.shape;
  const std::vector<int64_t>& b = test.array.shape;
  if (a.size() != b.size() || !std::equal(a.begin() + 1, a.end(), b.begin() + 1)) {
    throw Error(test.where + ": images of shape " + shape_text(b) + " but x_train's are " + shape_text(a) +
                "; both splits need images of the same size and layout");
  }
  for (size_t d = 1; d < a.size(); ++d) {
    if (a[d] == 0) throw Error(train.where + ": images of shape " + shape_text(a) + " are empty; save the images");
  }
  if (a[0] == 0) throw Error(train.where + ": holds no images; save the training images");
}

// The labels as class indices, after checking their shape, dtype and count against the images.
std::vector<int32_t> read_labels(const NamedArray& y, const NamedArray& x) {
  const std::vector<int64_t>& s = y.array.shape;
  const bool column = s.size() == 2 && s[1] == 1;  // Keras writes CIFAR labels as (N, 1)
  if (s.size() != 1 && !column) {
    throw Error(y.where + ": labels of shape " + shape_text(s) + "; expected (N,) class indices" +
                (s.size() == 2 ? " (one-hot labels? save y.argmax(axis=1))" : ""));
  }
  const char kind = y.array.dtype.empty() ? ' ' : y.array.dtype[0];
  if (kind != 'i' && kind != 'u') {
    throw Error(y.where + ": labels are " + type_name(y.array.dtype) + "; save integer class indices, e.g. " +
                "y.astype(numpy.int64)");
  }
  if (s[0] != x.array.shape[0]) {
    throw Error(y.where + ": holds " + std::to_string(s[0]) + " labels but " + x.name + " holds " +
                std::to_string(x.array.shape[0]) + " images; save the labels of the same split");
  }
  std::vector<int32_t> labels(static_cast<size_t>(s[0]));
  visit_numeric(y.array.dtype, [&](auto zero) {
    using T = decltype(zero);
    for (int64_t i = 0; i < s[0]; ++i) {
      const T v = element<T>(y.array, i);
      const bool negative = std::is_signed_v<T> && v < 0;
      if (negative || static_cast<uint64_t>(v) >= uint64_t{std::numeric_limits<int32_t>::max()}) {
        throw Error(y.where + ": label " + std::to_string(v) + " at index " + std::to_string(i) +
                    "; labels must be class indices 0, 1, 2, ...");
      }
      labels[static_cast<size_t>(i)] = static_cast<int32_t>(v);
    }
  });
  return labels;
}

struct PixelRange {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
};

// The values' range, after refusing dtypes and values that are no 8-bit pixels.
PixelRange pixel_range(const NamedArray& x) {
  PixelRange range;
  if (x.array.dtype == "u1") return {0, 255};
  const int64_t count = x.array.element_count();
  const bool numeric = x.array.dtype[0] != 'b' && visit_numeric(x.array.dtype, [&](auto zero) {
    using T = decltype(zero);
    for (int64_t i = 0; i < count; ++i) {
      const double v = static_cast<double>(element<T>(x.array, i));
      if (!std::isfinite(v)) {
        throw Error(x.where + ": holds NaN or infinite values (first at element " + std::to_string(i) + "); " +
                    kUnNormalise);
      }
      range.min = std::min(range.min, v);
      range.max = std::max(range.max, v);
    }
  });
  if (!numeric) {
    throw Error(x.where + ": images of dtype " + type_name(x.array.dtype) + " are not supported; save uint8 " +
                "(0 .. 255) or float32 (0 .. 1 or 0 .. 255)");
  }
  if (range.min < 0 || range.max > 255) {
    char span[64];
    std::snprintf(span, sizeof span, "[%g, %g]", range.min, range.max);
    throw Error(x.where + ": " + type_name(x.array.dtype) + " values span " + span + ", outside [0, 255]; " +
                kUnNormalise);
  }
  return range;
}

// The values as bytes in the array's own order, times `scale`, rounded; releases the array's buffer.
std::vector<uint8_t> take_pixels(NumpyArray& a, double scale) {
  if (a.dtype == "u1") return std::move(a.bytes);
  std::vector<uint8_t> pixels(static_cast<size_t>(a.element_count()));
  visit_numeric(a.dtype, [&](auto zero) {
    using T = decltype(zero);
    for (size_t i = 0; i < pixels.size(); ++i) {
      // Values are checked to lie in [0, 255] (in [0, 1] when scaled), so + 0.5 rounds to the nearest byte.
      pixels[i] = static_cast<uint8_t>(static_cast<double>(element<T>(a, static_cast<int64_t>(i))) * scale + 0.5);
    }
  });
  a.bytes = std::vector<uint8_t>();
  return pixels;
}

// HWC to CHW one image at a time through a scratch image, so no second dataset-sized buffer is needed.
void to_planes(std::vector<uint8_t>& pixels, int64_t count, const ImageGeometry& g) {
  const int64_t plane = g.height * g.width;
  const int64_t size = plane * g.channels;
  std::vector<uint8_t> hwc(static_cast<size_t>(size));
  for (int64_t i = 0; i < count; ++i) {
    uint8_t* image = pixels.data() + i * size;
    std::memcpy(hwc.data(), image, static_cast<size_t>(size));
    for (int64_t p = 0; p < plane; ++p)
      for (int64_t c = 0; c < g.channels; ++c) image[c * plane + p] = hwc[static_cast<size_t>(p * g.channels + c)];
  }
}

ImageSet to_image_set(NamedArray& x, std::vector<int32_t> labels, const ImageGeometry& g, double scale) {
  ImageSet set;
  set.count = x.array.shape[0];
  set.channels = g.channels;
  set.height = g.height;
  set.width = g.width;
  set.pixels = take_pixels(x.array, scale);
  if (g.channels_last && g.channels > 1) to_planes(set.pixels, set.count, g);
  set.labels = std::move(labels);
  return set;
}

}  // namespace

DatasetSplit read_array_dataset(const std::string& source, ArrayLayout layout) {
  std::map<std::string, NamedArray> arrays = load_arrays(source);
  NamedArray& x_train = arrays["x_train"];
  NamedArray& x_test = arrays["x_test"];
  const ImageGeometry geometry = image_geometry(x_train, layout);
  check_images(x_train, x_test);
  std::vector<int32_t> train_labels = read_labels(arrays["y_train"], x_train);
  std::vector<int32_t> test_labels = read_labels(arrays["y_test"], x_test);

  const int num_classes = *std::max_element(train_labels.begin(), train_labels.end()) + 1;
  for (size_t i = 0; i < test_labels.size(); ++i) {
    if (test_labels[i] >= num_classes) {
      throw Error(arrays["y_test"].where + ": label " + std::to_string(test_labels[i]) + " at index " +
                  std::to_string(i) + " has no training example (y_train's labels are 0 .. " +
                  std::to_string(num_classes - 1) + "); check that y_test belongs with y_train");
    }
  }

  // One scale for both splits, so the same float value becomes the same byte in train and test.
  const PixelRange train_range = pixel_range(x_train);
  const PixelRange test_range = pixel_range(x_test);
  const auto is_float = [](const NamedArray& x) { return x.array.dtype[0] == 'f'; };
  const double float_max = std::max(is_float(x_train) ? train_range.max : 0.0, is_float(x_test) ? test_range.max : 0.0);
  const double float_scale = float_max <= 1.0 ? 255.0 : 1.0;

  DatasetSplit split;
  split.train = to_image_set(x_train, std::move(train_labels), geometry, is_float(x_train) ? float_scale : 1.0);
  split.test = to_image_set(x_test, std::move(test_labels), geometry, is_float(x_test) ? float_scale : 1.0);
  for (ImageSet* set : {&split.train, &split.test}) {
    set->num_classes = num_classes;
    set->name = source;
  }
  return split;
}

}  // namespace xbarcut::data
