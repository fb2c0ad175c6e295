// Opens any data source for training: a built-in dataset or NumPy arrays in memory, an image folder as its decoded
// cache on disk, read per batch (a folder larger than memory never loads whole).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "data/data_source.hpp"
#include "data/dataset_cache.hpp"
#include "data/dataset_info.hpp"
#include "data/image_set.hpp"

namespace xbarcut::data {

// One split: the pixels in memory, or a cache file read per batch.
struct SplitSource {
  ImageSet images;                               // in memory (labels and shape always set)
  std::shared_ptr<const DatasetCacheFile> file;  // when set, `images` holds no pixels: read them from here
  int64_t count() const { return file ? file->count() : images.count; }
};

struct OpenedDataset {
  DataSource source;
  SplitSource train, test;
  InputShape shape;
  int num_classes = 0;
  std::vector<std::string> class_names;
};

// `fit` (a network's input, when one is known): images of another size are resized to it unless the source says
// --resize. Throws a one-line Error for anything the readers refuse, and when the two splits disagree in shape.
OpenedDataset open_dataset(const DataSource& source, const std::string& data_dir, const InputShape* fit = nullptr);

// The shape and classes of a built-in dataset without reading it; false for the user's data (known only once read).
bool known_without_reading(const DataSource& source, InputShape& shape, int& num_classes);

// Per-channel mean and standard deviation of a split's pixels (0..255 units), streamed for a cache file.
struct ChannelStatistics {
  std::vector<double> mean, std;
};
ChannelStatistics channel_statistics(const SplitSource& split);

}  // namespace xbarcut::data
