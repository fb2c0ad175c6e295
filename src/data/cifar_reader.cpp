// CIFAR-10 parsing. Records already store each image as CHW planes, so parsing only splits off the
// label byte. Batches stream straight into one preallocated set, one thread per batch, because
// inflating ~30 MB per batch and faulting in fresh pages dominate the load time.
#include "data/cifar_reader.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <future>

#include "common/error.hpp"
#include "data/compressed_file.hpp"

namespace xbarcut::data {
namespace {

ImageSet empty_cifar_set(const std::string& name) {
  ImageSet set;
  set.channels = kCifarChannels;
  set.height = kCifarSide;
  set.width = kCifarSide;
  set.num_classes = kCifarClasses;
  set.name = name;
  return set;
}

// Splits a stream of 3073-byte records into labels and pixels, wherever the chunk boundaries fall.
// Records beyond `capacity` are counted but not stored, so the caller can detect a wrong size hint.
class RecordSplitter {
 public:
  RecordSplitter(const std::string& path, int32_t* labels, uint8_t* pixels, int64_t capacity)
      : path_(path), labels_(labels), pixels_(pixels), capacity_(capacity) {}

  void consume(const uint8_t* data, size_t size) {
    while (size > 0) {
      if (offset_ == 0) {
        if (data[0] >= kCifarClasses) {
          throw Error(path_ + ": label " + std::to_string(data[0]) + " at record " + std::to_string(records_) +
                      ", expected < 10; the file is corrupt or CIFAR-100 (not supported)");
        }
        if (records_ < capacity_) labels_[records_] = data[0];
        ++data;
        --size;
        offset_ = 1;
        continue;
      }
      const size_t n = std::min<size_t>(size, static_cast<size_t>(kCifarRecordBytes - offset_));
      if (records_ < capacity_) std::memcpy(pixels_ + records_ * kCifarImageBytes + (offset_ - 1), data, n);
      data += n;
      size -= n;
      offset_ += static_cast<int64_t>(n);
      if (offset_ == kCifarRecordBytes) {
        offset_ = 0;
        ++records_;
      }
    }
  }

  // Throws if the stream stopped inside a record; returns the number of whole records.
  int64_t finish() const {
    if (offset_ != 0) {
      const int64_t bytes = records_ * kCifarRecordBytes + offset_;
      throw Error(path_ + ": truncated or not a CIFAR-10 binary batch: " + std::to_string(bytes) +
                  " bytes is not a multiple of the 3073-byte record (1 label + 3072 pixels); download it again "
                  "(the python and matlab versions are not supported)");
    }
    return records_;
  }

 private:
  const std::string& path_;
  int32_t* labels_;
  uint8_t* pixels_;
  int64_t capacity_;
  int64_t records_ = 0;
  int64_t offset_ = 0;  // position inside the current record
};

// Streams one batch into room for `capacity` records; returns how many records the file holds.
int64_t read_batch_into(const std::string& path, int32_t* labels, uint8_t* pixels, int64_t capacity) {
  RecordSplitter splitter(path, labels, pixels, capacity);
  read_file_chunks(path, [&](const uint8_t* data, size_t size) { splitter.consume(data, size); });
  return splitter.finish();
}

// Slow path for files whose size hint is wrong (concatenated gzip members): learn the record count
// with a counting pass, then read again into exactly that room.
ImageSet read_batch_two_pass(const std::string& path) {
  ImageSet set = empty_cifar_set(path);
  set.count = read_batch_into(path, nullptr, nullptr, 0);
  set.labels.resize(static_cast<size_t>(set.count));
  set.pixels.resize(static_cast<size_t>(set.count * kCifarImageBytes));
  read_batch_into(path, set.labels.data(), set.pixels.data(), set.count);
  return set;
}

ImageSet read_split(const std::string& dir, const std::vector<std::string>& names) {
  std::vector<std::string> paths;
  for (const std::string& name : names) {
    std::string path = find_maybe_gzipped(dir, name);
    if (path.empty()) {
      throw Error("cifar10: missing batch " + dir + "/" + name + " (or " + name +
                  ".gz); put all six batches of the CIFAR-10 binary version there, or pass --data-dir");
    }
    paths.push_back(std::move(path));
  }
  ImageSet set = read_cifar_batches(paths);
  set.name = dir;
  return set;
}

}  // namespace

std::vector<std::string> cifar10_train_files() {
  return {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};
}

std::vector<std::string> cifar10_test_files() { return {"test_batch.bin"}; }

ImageSet read_cifar_batch(const std::string& path) { return read_cifar_batches({path}); }

ImageSet read_cifar_batches(const std::vector<std::string>& paths) {
  // Room for every batch, from the size hints; a hint that is not whole records still gets the
  // floor, and any batch that turns out bigger or smaller sends the whole set down the slow path.
  std::vector<int64_t> capacity, first;
  int64_t total = 0;
  for (const std::string& path : paths) {
    capacity.push_back(static_cast<int64_t>(content_size_hint(path) / kCifarRecordBytes));
    first.push_back(total);
    total += capacity.back();
  }
  ImageSet set = empty_cifar_set(paths.size() == 1 ? paths[0] : "cifar10");
  set.count = total;
  set.labels.resize(static_cast<size_t>(total));
  set.pixels.resize(static_cast<size_t>(total * kCifarImageBytes));

  std::vector<std::future<int64_t>> pending;
  for (size_t b = 0; b < paths.size(); ++b) {
    pending.push_back(std::async(std::launch::async, read_batch_into, paths[b], set.labels.data() + first[b],
                                 set.pixels.data() + first[b] * kCifarImageBytes, capacity[b]));
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

  ImageSet slow = empty_cifar_set(set.name);
  set = ImageSet();
  for (const std::string& path : paths) {
    const ImageSet batch = read_batch_two_pass(path);
    slow.count += batch.count;
    slow.labels.insert(slow.labels.end(), batch.labels.begin(), batch.labels.end());
    slow.pixels.insert(slow.pixels.end(), batch.pixels.begin(), batch.pixels.end());
  }
  return slow;
}

ImageSet read_cifar10_train(const std::string& dir) { return read_split(dir, cifar10_train_files()); }

ImageSet read_cifar10_test(const std::string& dir) { return read_split(dir, cifar10_test_files()); }

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
