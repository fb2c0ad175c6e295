// IDX parsing: the header is validated against the file size before any pixel is copied, so a
// truncated download is reported as such rather than as garbage images or an out-of-range read.
#include "data/idx_reader.hpp"

#include <cstdio>

#include "common/error.hpp"
#include "data/byte_order.hpp"
#include "data/compressed_file.hpp"

namespace xbarcut::data {
namespace {

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string describe_magic(uint32_t magic) {
  if (magic == kIdxImagesMagic) return " (an IDX images file)";
  if (magic == kIdxLabelsMagic) return " (an IDX labels file)";
  if ((magic >> 16) == 0x1f8b) return " (gzip data inside gzip? unpack it once more)";
  return " (not an IDX file)";
}

// Reads the file and checks its magic number and that it holds exactly header + payload bytes.
std::vector<uint8_t> read_checked(const std::string& path, uint32_t expected_magic, const char* kind,
                                  const char* fix) {
  std::vector<uint8_t> bytes = read_file_bytes(path);
  if (bytes.size() < 4) {
    throw Error(path + ": truncated IDX " + kind + " file: " + std::to_string(bytes.size()) +
                " bytes, too short for the magic number; download it again");
  }
  const uint32_t magic = big_endian_u32(bytes.data());
  if (magic != expected_magic) {
    throw Error(path + ": wrong magic number " + hex(magic) + describe_magic(magic) + ", expected " +
                hex(expected_magic) + " (IDX " + kind + "); " + fix);
  }
  return bytes;
}

}  // namespace

IdxImages read_idx_images(const std::string& path) {
  std::vector<uint8_t> bytes =
      read_checked(path, kIdxImagesMagic, "images", "pass the *-images-idx3-ubyte file here");
  if (bytes.size() < 16) {
    throw Error(path + ": truncated IDX images file: " + std::to_string(bytes.size()) +
                " bytes, shorter than the 16-byte header; download it again");
  }
  IdxImages images;
  images.count = big_endian_u32(bytes.data() + 4);
  images.rows = big_endian_u32(bytes.data() + 8);
  images.cols = big_endian_u32(bytes.data() + 12);
  // Each dimension is < 2^32, so the product fits in 128 bits; compare before multiplying into size_t.
  const unsigned __int128 expected =
      static_cast<unsigned __int128>(images.count) *
      (static_cast<uint64_t>(images.rows) * static_cast<uint64_t>(images.cols));
  const size_t payload = bytes.size() - 16;
  if (expected != payload) {
    const std::string shape = std::to_string(images.count) + " images of " + std::to_string(images.rows) + "x" +
                              std::to_string(images.cols);
    if (expected > payload) {
      throw Error(path + ": truncated: header says " + shape + " but the file holds only " +
                  std::to_string(payload) + " pixel bytes; download it again");
    }
    throw Error(path + ": header says " + shape + " but the file holds " + std::to_string(payload) +
                " pixel bytes, more than expected; it is not a valid IDX images file, download it again");
  }
  // Drop the header in place: a copy would fault in a second 47 MB buffer for Fashion-MNIST.
  bytes.erase(bytes.begin(), bytes.begin() + 16);
  images.pixels = std::move(bytes);
  return images;
}

std::vector<uint8_t> read_idx_labels(const std::string& path) {
  std::vector<uint8_t> bytes =
      read_checked(path, kIdxLabelsMagic, "labels", "pass the *-labels-idx1-ubyte file here");
  if (bytes.size() < 8) {
    throw Error(path + ": truncated IDX labels file: " + std::to_string(bytes.size()) +
                " bytes, shorter than the 8-byte header; download it again");
  }
  const uint64_t count = big_endian_u32(bytes.data() + 4);
  const size_t payload = bytes.size() - 8;
  if (count > payload) {
    throw Error(path + ": truncated: header says " + std::to_string(count) + " labels but the file holds only " +
                std::to_string(payload) + "; download it again");
  }
  if (count < payload) {
    throw Error(path + ": header says " + std::to_string(count) + " labels but the file holds " +
                std::to_string(payload) + " bytes; it is not a valid IDX labels file, download it again");
  }
  bytes.erase(bytes.begin(), bytes.begin() + 8);
  return bytes;
}

ImageSet read_idx(const std::string& images_path, const std::string& labels_path, int num_classes) {
  IdxImages images = read_idx_images(images_path);
  std::vector<uint8_t> labels = read_idx_labels(labels_path);
  if (static_cast<int64_t>(labels.size()) != images.count) {
    throw Error(labels_path + ": holds " + std::to_string(labels.size()) + " labels but " + images_path + " holds " +
                std::to_string(images.count) + " images; pass the labels file of the same split (train/t10k)");
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] >= num_classes) {
      throw Error(labels_path + ": label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                  ", expected < " + std::to_string(num_classes) + "; the file is corrupt or from another dataset");
    }
  }
  ImageSet set;
  set.count = images.count;
  set.channels = 1;
  set.height = images.rows;
  set.width = images.cols;
  set.pixels = std::move(images.pixels);
  set.labels.assign(labels.begin(), labels.end());
  set.num_classes = num_classes;
  set.name = images_path;
  return set;
}

}  // namespace xbarcut::data
