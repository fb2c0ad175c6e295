// CIFAR parsing. Records already store each image as CHW planes, so parsing only splits off the
// label bytes. Batches stream straight into one preallocated set, one thread per batch, because
// inflating ~30 MB per batch and faulting in fresh pages dominate the load time.
#include "data/cifar_reader.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <functional>
#include <future>

#include "common/error.hpp"
#include "data/compressed_file.hpp"

namespace xbarcut::data {
namespace {

ImageSet empty_cifar_set(const std::string& name, const CifarRecordLayout& layout) {
  ImageSet set;
  set.channels = kCifarChannels;
  set.height = kCifarSide;
  set.width = kCifarSide;
  set.num_classes = layout.num_classes();
  set.name = name;
  return set;
}

// Splits a stream of records into labels and pixels, wherever the chunk boundaries fall.
// Records beyond `capacity` are counted but not stored, so the caller can detect a wrong size hint.
class RecordSplitter {
 public:
  RecordSplitter(const std::string& path, const CifarRecordLayout& layout, int32_t* labels, uint8_t* pixels,
                 int64_t capacity)
      : path_(path), layout_(layout), label_bytes_(layout.label_bytes()), record_bytes_(layout.record_bytes()),
        labels_(labels), pixels_(pixels), capacity_(capacity) {}

  void consume(const uint8_t* data, size_t size) {
    while (size > 0) {
      if (offset_ < label_bytes_) {
        const size_t which = static_cast<size_t>(offset_);
        if (data[0] >= layout_.label_classes[which]) {
          const std::string limit = std::to_string(layout_.label_classes[which]);
          throw Error(path_ + ": " + layout_.label_names[which] + " " + std::to_string(data[0]) + " at record " +
                      std::to_string(records_) + ", expected < " + limit + "; " + layout_.wrong_label_hint);
        }
        if (offset_ == layout_.kept_label && records_ < capacity_) labels_[records_] = data[0];
        ++data;
        --size;
        ++offset_;
        continue;
      }
      const size_t n = std::min<size_t>(size, static_cast<size_t>(record_bytes_ - offset_));
      if (records_ < capacity_) {
        std::memcpy(pixels_ + records_ * kCifarImageBytes + (offset_ - label_bytes_), data, n);
      }
      data += n;
      size -= n;
      offset_ += static_cast<int64_t>(n);
      if (offset_ == record_bytes_) {
        offset_ = 0;
        ++records_;
      }
    }
  }

  // Throws if the stream stopped inside a record; returns the number of whole records.
  int64_t finish() const {
    if (offset_ != 0) {
      const int64_t bytes = records_ * record_bytes_ + offset_;
      throw Error(path_ + ": truncated or not a " + layout_.description + ": " + std::to_string(bytes) +
                  " bytes is not a multiple of the " + std::to_string(record_bytes_) + "-byte record (" +
                  std::to_string(label_bytes_) + (label_bytes_ == 1 ? " label" : " labels") +
                  " + 3072 pixels); download it again (the python and matlab versions are not supported)");
    }
    return records_;
  }

 private:
  const std::string& path_;
  const CifarRecordLayout& layout_;
  const int64_t label_bytes_;
  const int64_t record_bytes_;
  int32_t* labels_;
  uint8_t* pixels_;
  int64_t capacity_;
  int64_t records_ = 0;
  int64_t offset_ = 0;  // position inside the current record
};

// Streams one file into room for `capacity` records; returns how many records the file holds.
int64_t read_batch_into(const std::string& path, const CifarRecordLayout& layout, int32_t* labels, uint8_t* pixels,
                        int64_t capacity) {
  RecordSplitter splitter(path, layout, labels, pixels, capacity);
  read_file_chunks(path, [&](const uint8_t* data, size_t size) { splitter.consume(data, size); });
  return splitter.finish();
}

// Slow path for files whose size hint is wrong (concatenated gzip members): learn the record count
// with a counting pass, then read again into exactly that room.
ImageSet read_batch_two_pass(const std::string& path, const CifarRecordLayout& layout) {
  ImageSet set = empty_cifar_set(path, layout);
  set.count = read_batch_into(path, layout, nullptr, nullptr, 0);
  set.labels.resize(static_cast<size_t>(set.count));
  set.pixels.resize(static_cast<size_t>(set.count * kCifarImageBytes));
  read_batch_into(path, layout, set.labels.data(), set.pixels.data(), set.count);
  return set;
}

ImageSet read_split(const std::string& dir, const std::vector<std::string>& names, const CifarRecordLayout& layout) {
  std::vector<std::string> paths;
  for (const std::string& name : names) {
    std::string path = find_maybe_gzipped(dir, name);
    if (path.empty()) {
      throw Error(layout.dataset + ": missing " + layout.file_noun + " " + dir + "/" + name +
                  " (or " + name + ".gz); " + layout.missing_hint);
    }
    paths.push_back(std::move(path));
  }
  ImageSet set = read_cifar_records(paths, layout);
  set.name = dir;
  return set;
}

}  // namespace

std::vector<std::string> cifar10_train_files() {
  return {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};
}

std::vector<std::string> cifar10_test_files() { return {"test_batch.bin"}; }

std::vector<std::string> cifar100_train_files() { return {"train.bin"}; }

std::vector<std::string> cifar100_test_files() { return {"test.bin"}; }

CifarRecordLayout cifar10_layout() {
  CifarRecordLayout layout;
  layout.dataset = "cifar10";
  layout.description = "CIFAR-10 binary batch";
  layout.file_noun = "batch";
  layout.label_names = {"label"};
  layout.label_classes = {kCifarClasses};
  layout.wrong_label_hint = "the file is corrupt or CIFAR-100: for CIFAR-100 use --dataset cifar100";
  layout.missing_hint = "put all six batches of the CIFAR-10 binary version there, or pass --data-dir";
  return layout;
}

CifarRecordLayout cifar100_layout(Cifar100Labels labels) {
  CifarRecordLayout layout;
  layout.dataset = "cifar100";
  layout.description = "CIFAR-100 binary file";
  layout.file_noun = "file";
  layout.label_names = {"coarse label", "fine label"};
  layout.label_classes = {kCifar100CoarseClasses, kCifar100FineClasses};
  layout.kept_label = labels == Cifar100Labels::Coarse ? 0 : 1;
  layout.wrong_label_hint = "the file is corrupt or not from the CIFAR-100 binary version; download it again";
  layout.missing_hint = "put train.bin and test.bin of the CIFAR-100 binary version there, or pass --data-dir";
  return layout;
}

ImageSet read_cifar_batch(const std::string& path) { return read_cifar_batches({path}); }

ImageSet read_cifar_batches(const std::vector<std::string>& paths) {
  return read_cifar_records(paths, cifar10_layout());
}

ImageSet read_cifar_records(const std::vector<std::string>& paths, const CifarRecordLayout& layout) {
  // Room for every batch, from the size hints; a hint that is not whole records still gets the
  // floor, and any batch that turns out bigger or smaller sends the whole set down the slow path.
  std::vector<int64_t> capacity, first;
  int64_t total = 0;
  for (const std::string& path : paths) {
    capacity.push_back(static_cast<int64_t>(content_size_hint(path) / static_cast<uint64_t>(layout.record_bytes())));
    first.push_back(total);
    total += capacity.back();
  }
  ImageSet set = empty_cifar_set(paths.size() == 1 ? paths[0] : layout.dataset, layout);
  set.count = total;
  set.labels.resize(static_cast<size_t>(total));
  set.pixels.resize(static_cast<size_t>(total * kCifarImageBytes));

  std::vector<std::future<int64_t>> pending;
  for (size_t b = 0; b < paths.size(); ++b) {
    pending.push_back(std::async(std::launch::async, read_batch_into, paths[b], std::cref(layout),
                                 set.labels.data() + first[b], set.pixels.data() + first[b] * kCifarImageBytes,
                                 capacity[b]));
  }
  // Collect every future before rethrowing so no thread outlives the buffers; report the first failure.
  std::exception_ptr failure;
  bool hints_exact = true;
  for (size_t b = 0; b < pending.size(); ++b) {
    try {
      hints_exact = pending[b].get() == capacity[b] && hints_exact;
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  if (hints_exact) return set;

  ImageSet slow = empty_cifar_set(set.name, layout);
  set = ImageSet();
  for (const std::string& path : paths) {
    const ImageSet batch = read_batch_two_pass(path, layout);
    slow.count += batch.count;
    slow.labels.insert(slow.labels.end(), batch.labels.begin(), batch.labels.end());
    slow.pixels.insert(slow.pixels.end(), batch.pixels.begin(), batch.pixels.end());
  }
  return slow;
}

ImageSet read_cifar10_train(const std::string& dir) { return read_split(dir, cifar10_train_files(), cifar10_layout()); }

ImageSet read_cifar10_test(const std::string& dir) { return read_split(dir, cifar10_test_files(), cifar10_layout()); }

ImageSet read_cifar100_train(const std::string& dir, Cifar100Labels labels) {
  return read_split(dir, cifar100_train_files(), cifar100_layout(labels));
}

ImageSet read_cifar100_test(const std::string& dir, Cifar100Labels labels) {
  return read_split(dir, cifar100_test_files(), cifar100_layout(labels));
}

ImageSet to_grey(const ImageSet& colour) {
  if (colour.channels != 3) {
    throw Error(colour.name + ": grey conversion needs 3-channel images, these have " +
                std::to_string(colour.channels));
  }
  ImageSet grey = colour;
  grey.channels = 1;
  const int64_t plane = colour.height * colour.width;
  grey.pixels.assign(static_cast<size_t>(colour.count * plane), 0);
  for (int64_t i = 0; i < colour.count; ++i) {
    const uint8_t* rgb = colour.image(i);
    uint8_t* out = grey.image(i);
    for (int64_t p = 0; p < plane; ++p) {
      // Integer weights in thousandths, +500 to round: exact and independent of float rounding.
      const int luma = 299 * rgb[p] + 587 * rgb[plane + p] + 114 * rgb[2 * plane + p];
      out[p] = static_cast<uint8_t>((luma + 500) / 1000);
    }
  }
  return grey;
}

}  // namespace xbarcut::data
