// Reader for the CIFAR-10 and CIFAR-100 binary versions: fixed-size records of label bytes, then 32x32 R, G, B
// planes. CIFAR-10 has one label byte and six batch files, CIFAR-100 a coarse and a fine label byte and two
// files (train.bin, test.bin); every file may be raw or gzip'd.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/image_set.hpp"

namespace xbarcut::data {

constexpr int64_t kCifarSide = 32;
constexpr int64_t kCifarChannels = 3;
constexpr int64_t kCifarImageBytes = kCifarChannels * kCifarSide * kCifarSide;  // 3072
constexpr int64_t kCifarRecordBytes = 1 + kCifarImageBytes;                      // 3073
constexpr int kCifarClasses = 10;
constexpr int kCifar100FineClasses = 100;
constexpr int kCifar100CoarseClasses = 20;

// Which CIFAR-100 label becomes ImageSet::labels: the 100 classes or their 20 superclasses.
enum class Cifar100Labels { Fine, Coarse };

// The record of a CIFAR binary file: label bytes, each below its class count, then kCifarImageBytes pixels.
struct CifarRecordLayout {
  std::string dataset;                    // "cifar10", "cifar100": the set's name when read from several files
  std::string description;                // "CIFAR-10 binary batch", for messages
  std::string file_noun;                  // "batch" or "file", for "missing batch ..."
  std::vector<std::string> label_names;   // one per label byte, in file order: "label" or "coarse label", "fine label"
  std::vector<int> label_classes;         // each label byte must be below its entry
  int kept_label = 0;                     // the label byte that becomes ImageSet::labels
  std::string wrong_label_hint;           // what a label out of range means, after "; "
  std::string missing_hint;               // what to do about a missing file, after "; "

  int64_t label_bytes() const { return static_cast<int64_t>(label_names.size()); }
  int64_t record_bytes() const { return label_bytes() + kCifarImageBytes; }
  int num_classes() const { return label_classes[static_cast<size_t>(kept_label)]; }
};

CifarRecordLayout cifar10_layout();
CifarRecordLayout cifar100_layout(Cifar100Labels labels);

// The batch file names, without .gz: data_batch_1.bin .. data_batch_5.bin, and test_batch.bin.
std::vector<std::string> cifar10_train_files();
std::vector<std::string> cifar10_test_files();

// One batch file; throws if its size is not a whole number of records or a label is >= 10.
ImageSet read_cifar_batch(const std::string& path);

// Several batch files concatenated in the given order.
ImageSet read_cifar_batches(const std::vector<std::string>& paths);

// Files of any record layout concatenated in the given order, one thread per file. Throws naming the file
// if its size is not a whole number of records, or naming the record if a label is out of range.
ImageSet read_cifar_records(const std::vector<std::string>& paths, const CifarRecordLayout& layout);

// The training (5 batches, 50000 images) or test (10000 images) split from a folder holding the batch
// files, each as name or name.gz. Throws naming the first missing batch.
ImageSet read_cifar10_train(const std::string& dir);
ImageSet read_cifar10_test(const std::string& dir);

// CIFAR-100: train.bin (50000 images) and test.bin (10000), each as name or name.gz.
std::vector<std::string> cifar100_train_files();
std::vector<std::string> cifar100_test_files();
ImageSet read_cifar100_train(const std::string& dir, Cifar100Labels labels);
ImageSet read_cifar100_test(const std::string& dir, Cifar100Labels labels);

// One grey plane per colour image: the luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as MATLAB's rgb2gray,
// which the TraNNsformer authors used for their grey CIFAR-10), rounded to the nearest byte.
ImageSet to_grey(const ImageSet& colour);

}  // namespace xbarcut::data
