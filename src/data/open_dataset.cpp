// Dispatch from a data source to its reader, and the checks every source shares.
#include "data/open_dataset.hpp"

#include <cmath>

#include <fmt/core.h>

#include "common/error.hpp"
#include "data/array_dataset.hpp"
#include "data/cifar_reader.hpp"
#include "data/dataset_locator.hpp"
#include "data/image_folder.hpp"

namespace xbarcut::data {
namespace {

std::string shape_text(int64_t c, int64_t h, int64_t w) { return fmt::format("{}x{}x{}", c, h, w); }

// Grey arrays become three equal planes, colour ones their luma, so `--channels` means the same for every source.
ImageSet with_channels(ImageSet set, int64_t channels) {
  if (channels == 0 || channels == set.channels) return set;
  if (channels == 1 && set.channels == 3) return to_grey(set);
  if (channels == 3 && set.channels == 1) {
    const int64_t plane = set.height * set.width;
    std::vector<uint8_t> colour(static_cast<size_t>(set.count * 3 * plane));
    for (int64_t i = 0; i < set.count; ++i) {
      for (int c = 0; c < 3; ++c) std::copy_n(set.image(i), plane, colour.data() + (i * 3 + c) * plane);
    }
    set.pixels = std::move(colour);
    set.channels = 3;
    return set;
  }
  throw Error(fmt::format("{}: images have {} channels; --channels converts only between 1 and 3", set.name,
                          set.channels));
}

SplitSource in_memory(ImageSet set) {
  SplitSource s;
  s.images = std::move(set);
  return s;
}

// The split's labels and shape without its pixels: what the trainer needs up front from a cache file.
SplitSource from_file(std::shared_ptr<const DatasetCacheFile> file) {
  SplitSource s;
  s.file = std::move(file);
  s.images.count = s.file->count();
  s.images.channels = s.file->channels();
  s.images.height = s.file->height();
  s.images.width = s.file->width();
  s.images.labels = s.file->labels();
  s.images.num_classes = s.file->num_classes();
  s.images.class_names = s.file->class_names();
  s.images.name = s.file->path();
  return s;
}

}  // namespace

bool known_without_reading(const DataSource& source, InputShape& shape, int& classes) {
  if (!source.builtin()) return false;
  shape = input_shape(source.name);
  classes = num_classes(source.name);
  return true;
}

OpenedDataset open_dataset(const DataSource& source, const std::string& data_dir, const InputShape* fit) {
  OpenedDataset d;
  d.source = source;
  if (source.builtin()) {
    DatasetSplit split = load_dataset(source.name, data_dir);
    d.train = in_memory(std::move(split.train));
    d.test = in_memory(std::move(split.test));
    d.class_names = dataset_info(source.name).class_names;
  } else if (source.kind == SourceKind::NumpyArrays) {
    const ArrayLayout layout = source.layout == "nchw"   ? ArrayLayout::NCHW
                               : source.layout == "nhwc" ? ArrayLayout::NHWC
                                                         : ArrayLayout::Auto;
    DatasetSplit split = read_array_dataset(source.path, layout);
    const int64_t channels = source.channels ? source.channels : fit ? fit->channels : 0;
    d.train = in_memory(with_channels(std::move(split.train), channels));
    d.test = in_memory(with_channels(std::move(split.test), channels));
  } else {
    ImageFolderOptions o;
    o.resize_height = source.resize_height;
    o.resize_width = source.resize_width;
    o.crop_height = source.crop_height;
    o.crop_width = source.crop_width;
    o.channels = source.channels;
    o.skip_unreadable = source.skip_bad_images;
    const std::string cache_dir = default_cache_dir();
    ImageFolderCache cache;
    std::shared_ptr<const DatasetCacheFile> train_file;  // opened once: the probe below becomes the split
    if (fit && source.resize_height == 0 && source.crop_height == 0 && source.channels == 0) {
      // The network's input decides what the options leave open. The cache the training run built (without a
      // network to fit) serves whenever its images already fit, as they do for every run after training.
      cache = cache_image_folder(source.path, o, cache_dir, /*build=*/false);
      if (!cache.train_path.empty()) {
        train_file = std::make_shared<const DatasetCacheFile>(cache.train_path);
        if (train_file->channels() != fit->channels || train_file->height() != fit->height ||
            train_file->width() != fit->width) {
          cache = {};
          train_file.reset();
        }
      }
      o.channels = fit->channels;
      o.fit_height = fit->height;
      o.fit_width = fit->width;
    }
    if (cache.train_path.empty()) cache = cache_image_folder(source.path, o, cache_dir);
    if (!train_file) train_file = std::make_shared<const DatasetCacheFile>(cache.train_path);
    d.train = from_file(std::move(train_file));
    d.test = from_file(std::make_shared<const DatasetCacheFile>(cache.test_path));
  }
  const ImageSet& train = d.train.images;
  const ImageSet& test = d.test.images;
  if (train.channels != test.channels || train.height != test.height || train.width != test.width) {
    throw Error(fmt::format("{}: training images are {} but test images are {}; both splits must have one shape",
                            source.text(), shape_text(train.channels, train.height, train.width),
                            shape_text(test.channels, test.height, test.width)));
  }
  if (train.count == 0) throw Error(source.text() + " holds no training images");
  if (test.count == 0) throw Error(source.text() + " holds no test images: accuracy is always test-set accuracy");
  d.shape = {train.channels, train.height, train.width};
  d.num_classes = std::max(train.num_classes, test.num_classes);
  if (d.class_names.empty()) d.class_names = train.class_names;
  return d;
}

ChannelStatistics channel_statistics(const SplitSource& split) {
  const ImageSet& set = split.images;
  const int64_t plane = set.height * set.width;
  std::vector<double> sum(static_cast<size_t>(set.channels), 0.0), squares(sum.size(), 0.0);
  auto add = [&](const uint8_t* images, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t c = 0; c < set.channels; ++c) {
        const uint8_t* p = images + (i * set.channels + c) * plane;
        uint64_t s = 0, q = 0;  // exact integer sums per plane, so the result does not depend on chunking
        for (int64_t k = 0; k < plane; ++k) {
          s += p[k];
          q += static_cast<uint64_t>(p[k]) * p[k];
        }
        sum[static_cast<size_t>(c)] += static_cast<double>(s);
        squares[static_cast<size_t>(c)] += static_cast<double>(q);
      }
    }
  };
  const int64_t count = split.count();
  if (split.file) {
    constexpr int64_t kChunk = 4096;
    std::vector<uint8_t> buffer(static_cast<size_t>(kChunk * set.channels * plane));
    for (int64_t begin = 0; begin < count; begin += kChunk) {
      const int64_t end = std::min(count, begin + kChunk);
      split.file->read_range(begin, end, buffer.data());
      add(buffer.data(), end - begin);
    }
  } else {
    add(set.pixels.data(), count);
  }
  ChannelStatistics stats;
  const double n = static_cast<double>(std::max<int64_t>(1, count * plane));
  for (size_t c = 0; c < sum.size(); ++c) {
    const double mean = sum[c] / n;
    stats.mean.push_back(mean);
    stats.std.push_back(std::sqrt(std::max(0.0, squares[c] / n - mean * mean)));
  }
  return stats;
}

}  // namespace xbarcut::data
