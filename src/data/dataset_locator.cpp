// Dataset location and loading. An explicit data_dir is never silently bypassed (a typo must not
// train on other data); only the implicit sources fall back from the environment to the system folder.
#include "data/dataset_locator.hpp"

#include <cstdlib>
#include <filesystem>
#include <future>

#include "common/error.hpp"
#include "data/cifar_reader.hpp"
#include "data/compressed_file.hpp"
#include "data/idx_reader.hpp"

namespace xbarcut::data {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> all_files(const DatasetInfo& info) {
  std::vector<std::string> files = info.train_files;
  files.insert(files.end(), info.test_files.begin(), info.test_files.end());
  return files;
}

std::vector<std::string> missing_files(const DatasetInfo& info, const std::string& dir) {
  std::vector<std::string> missing;
  for (const std::string& file : all_files(info)) {
    if (find_maybe_gzipped(dir, file).empty()) missing.push_back(file + "[.gz]");
  }
  return missing;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// The folders a data root may hold the dataset in: its named subfolders first, then the root itself.
std::vector<std::string> candidates_under(const DatasetInfo& info, const std::string& root) {
  std::vector<std::string> dirs;
  for (const std::string& sub : info.subfolders) dirs.push_back((fs::path(root) / sub).string());
  dirs.push_back(root);
  return dirs;
}

std::string describe_root(const DatasetInfo& info, const std::string& root) {
  return (fs::path(root) / ("{" + join(info.subfolders, ",") + "}")).string() + " and " + root;
}

// `source` says where the folder came from ("--data-dir /x", "XBARCUT_DATA=/x") for the message.
void require_directory(const std::string& root, const std::string& source) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    throw Error(source + " is not a directory: pass a folder that holds mnist/, fashion-mnist/ or cifar10/, "
                "or the dataset's files directly");
  }
}

void check_shape(const ImageSet& set, const DatasetInfo& info, const std::string& dir) {
  const InputShape& s = info.shape;
  if (set.channels != s.channels || set.height != s.height || set.width != s.width) {
    throw Error(dir + ": " + info.name + " images are " + std::to_string(set.channels) + "x" +
                std::to_string(set.height) + "x" + std::to_string(set.width) + ", expected " +
                std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width) +
                "; the folder holds another dataset");
  }
}

ImageSet load_split(const DatasetInfo& info, const std::string& dir, const std::vector<std::string>& files,
                    bool train) {
  ImageSet set;
  if (info.format == DatasetFormat::Idx) {
    set = read_idx(find_maybe_gzipped(dir, files[0]), find_maybe_gzipped(dir, files[1]), info.num_classes);
  } else if (info.format == DatasetFormat::Cifar100Binary) {
    const Cifar100Labels labels =
        info.num_classes == kCifar100CoarseClasses ? Cifar100Labels::Coarse : Cifar100Labels::Fine;
    set = train ? read_cifar100_train(dir, labels) : read_cifar100_test(dir, labels);
  } else {
    set = train ? read_cifar10_train(dir) : read_cifar10_test(dir);
    if (info.shape.channels == 1) set = to_grey(set);
  }
  check_shape(set, info, dir);
  set.name = info.name;
  return set;
}

}  // namespace

std::string locate_dataset(const std::string& name, const std::string& data_dir) {
  const DatasetInfo& info = dataset_info(name);

  std::vector<std::string> dirs;
  std::vector<std::string> looked;
  if (!data_dir.empty()) {
    require_directory(data_dir, "--data-dir " + data_dir);
    dirs = candidates_under(info, data_dir);
    looked.push_back(describe_root(info, data_dir));
  } else {
    const char* env = std::getenv(kDataDirEnv);
    if (env && *env) {
      require_directory(env, std::string(kDataDirEnv) + "=" + env);
      dirs = candidates_under(info, env);
      looked.push_back(describe_root(info, env) + " (from " + kDataDirEnv + ")");
    }
    if (!info.system_dir.empty()) {
      dirs.push_back(info.system_dir);
      looked.push_back(info.system_dir);
    }
  }

  // A folder with some but not all files is most likely the intended one: name what it lacks.
  std::string partial_dir;
  std::vector<std::string> partial_missing;
  const size_t total = all_files(info).size();
  for (const std::string& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<std::string> missing = missing_files(info, dir);
    if (missing.empty()) return dir;
    if (missing.size() < total && (partial_dir.empty() || missing.size() < partial_missing.size())) {
      partial_dir = dir;
      partial_missing = missing;
    }
  }
  if (!partial_dir.empty()) {
    throw Error(name + " incomplete in " + partial_dir + ": missing " + join(partial_missing, ", ") + "; " +
                info.install_hint);
  }
  if (looked.empty()) {
    throw Error(name + " not found: no --data-dir given and " + kDataDirEnv + " is not set; " + info.install_hint +
                " (or set " + kDataDirEnv + ")");
  }
  throw Error(name + " not found in " + join(looked, ", ") + " (looking for " + join(all_files(info), ", ") +
              ", each optionally .gz): " + info.install_hint);
}

DatasetSplit load_dataset(const std::string& name, const std::string& data_dir) {
  const DatasetInfo& info = dataset_info(name);
  const std::string dir = locate_dataset(name, data_dir);
  // The test split loads on its own thread: the loads are independent and mostly spent inflating.
  std::future<ImageSet> test =
      std::async(std::launch::async, [&info, &dir] { return load_split(info, dir, info.test_files, false); });
  // If the train load throws, the future's destructor waits for the test thread before dir goes away.
  DatasetSplit split;
  split.train = load_split(info, dir, info.train_files, true);
  split.test = test.get();
  return split;
}

}  // namespace xbarcut::data
