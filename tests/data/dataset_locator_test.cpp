// Tests for finding and loading datasets: explicit folder, XBARCUT_DATA, both folder layouts, raw and
// gzip'd files, and the one-line messages for unknown names, missing and incomplete datasets.
#include "data/dataset_locator.hpp"

#include "data/dataset_info.hpp"
#include "data_test_util.hpp"

namespace xbarcut::data {
namespace {
using namespace testing;

TEST(DatasetInfo, NamesShapesAndClasses) {
  EXPECT_EQ(dataset_names(), (std::vector<std::string>{"mnist", "fashion-mnist", "cifar10", "cifar10-grey", "cifar100",
                                                       "cifar100-coarse"}));
  EXPECT_EQ(num_classes("cifar100"), 100);
  EXPECT_EQ(num_classes("cifar100-coarse"), 20);
  EXPECT_EQ(num_classes("mnist"), 10);
  EXPECT_EQ(num_classes("fashion-mnist"), 10);
  EXPECT_EQ(num_classes("cifar10"), 10);
  const InputShape digits = input_shape("mnist");
  EXPECT_EQ(digits.channels, 1);
  EXPECT_EQ(digits.height, 28);
  EXPECT_EQ(digits.width, 28);
  const InputShape cifar = input_shape("cifar10");
  EXPECT_EQ(cifar.channels, 3);
  EXPECT_EQ(cifar.height, 32);
  EXPECT_EQ(cifar.width, 32);
  EXPECT_EQ(input_shape("cifar10-grey").channels, 1);
  EXPECT_EQ(input_shape("cifar10-grey").width, 32);
  EXPECT_EQ(dataset_info("fashion-mnist").class_names.at(9), "Ankle boot");
  EXPECT_EQ(dataset_info("cifar10").class_names.at(0), "airplane");
  for (const std::string& name : dataset_names()) {
    EXPECT_EQ(static_cast<int>(dataset_info(name).class_names.size()), num_classes(name)) << name;
  }
}

TEST(DatasetInfo, UnknownNameListsValidOnes) {
  expect_error([] { num_classes("cifar1000"); }, {"unknown dataset 'cifar1000'", "mnist, fashion-mnist, cifar10"});
  expect_error([] { load_dataset("MNIST", ""); }, {"'MNIST'", "mnist, fashion-mnist, cifar10"});
  expect_error([] { locate_dataset("svhn", "/tmp"); }, {"'svhn'", "cifar10"});
}

TEST(DatasetLocator, ExplicitDirWithSubfolders) {
  TempDir root;
  write_idx_dataset(root.file("mnist"), 3, 2, true);
  write_idx_dataset(root.file("fashion-mnist"), 4, 1, false);
  write_cifar_dataset(root.file("cifar10"), 2, true);
  ScopedEnv env(kDataDirEnv, std::nullopt);

  EXPECT_EQ(locate_dataset("mnist", root.str()), root.file("mnist"));
  EXPECT_EQ(locate_dataset("fashion-mnist", root.str()), root.file("fashion-mnist"));
  EXPECT_EQ(locate_dataset("cifar10", root.str()), root.file("cifar10"));

  const DatasetSplit mnist = load_dataset("mnist", root.str());
  EXPECT_EQ(mnist.train.count, 3);
  EXPECT_EQ(mnist.test.count, 2);
  EXPECT_EQ(mnist.train.name, "mnist");
  EXPECT_EQ(mnist.test.name, "mnist");
  EXPECT_EQ(mnist.train.num_classes, 10);
  EXPECT_EQ(mnist.train.pixel(2, 0, 27, 5), idx_pixel(2, 27, 5));
  EXPECT_EQ(mnist.test.label(1), test_label(1));

  const DatasetSplit fashion = load_dataset("fashion-mnist", root.str());
  EXPECT_EQ(fashion.train.count, 4);
  EXPECT_EQ(fashion.test.count, 1);

  const DatasetSplit cifar = load_dataset("cifar10", root.str());
  EXPECT_EQ(cifar.train.count, 10);
  EXPECT_EQ(cifar.test.count, 2);
  EXPECT_EQ(cifar.train.name, "cifar10");
  EXPECT_EQ(cifar.train.channels, 3);
  EXPECT_EQ(cifar.train.pixel(9, 2, 31, 31), cifar_pixel(9, 2, 31, 31));
  EXPECT_EQ(cifar.test.pixel(1, 1, 0, 3), cifar_pixel(1001, 1, 0, 3));

  // The grey variant reads the same files and keeps one luma plane.
  EXPECT_EQ(locate_dataset("cifar10-grey", root.str()), root.file("cifar10"));
  const DatasetSplit grey = load_dataset("cifar10-grey", root.str());
  EXPECT_EQ(grey.train.name, "cifar10-grey");
  EXPECT_EQ(grey.train.channels, 1);
  EXPECT_EQ(grey.train.count, 10);
  EXPECT_EQ(grey.test.count, 2);
  EXPECT_EQ(grey.train.labels, cifar.train.labels);
  const int luma = 299 * cifar_pixel(9, 0, 31, 31) + 587 * cifar_pixel(9, 1, 31, 31) + 114 * cifar_pixel(9, 2, 31, 31);
  EXPECT_EQ(grey.train.pixel(9, 0, 31, 31), (luma + 500) / 1000);
}

TEST(DatasetLocator, ExplicitDirHoldingTheFilesDirectly) {
  TempDir dir;
  write_idx_dataset(dir.str(), 2, 2, false);
  ScopedEnv env(kDataDirEnv, std::nullopt);
  EXPECT_EQ(locate_dataset("mnist", dir.str()), dir.str());
  EXPECT_EQ(load_dataset("mnist", dir.str()).train.count, 2);
}

TEST(DatasetLocator, CifarDirectlyAndInTheOfficialArchiveFolder) {
  TempDir root;
  write_cifar_dataset(root.file("cifar-10-batches-bin"), 1, false);
  EXPECT_EQ(locate_dataset("cifar10", root.str()), root.file("cifar-10-batches-bin"));
  EXPECT_EQ(locate_dataset("cifar10", root.file("cifar-10-batches-bin")), root.file("cifar-10-batches-bin"));
}

TEST(DatasetLocator, SubfolderWinsOverFilesInTheRoot) {
  // A root holding MNIST files directly and a fashion-mnist/ folder: fashion-mnist must come from its folder.
  TempDir root;
  write_idx_dataset(root.str(), 5, 5, false);
  write_idx_dataset(root.file("fashion-mnist"), 2, 1, true);
  EXPECT_EQ(locate_dataset("fashion-mnist", root.str()), root.file("fashion-mnist"));
  EXPECT_EQ(load_dataset("fashion-mnist", root.str()).train.count, 2);
}

TEST(DatasetLocator, RawAndGzippedFilesMayBeMixed) {
  TempDir dir;
  write_idx_dataset(dir.str(), 3, 2, true);
  std::filesystem::remove(dir.file("t10k-labels-idx1-ubyte.gz"));
  write_raw(dir.file("t10k-labels-idx1-ubyte"), idx_labels(2));
  const DatasetSplit split = load_dataset("mnist", dir.str());
  EXPECT_EQ(split.test.count, 2);
  EXPECT_EQ(split.test.label(1), test_label(1));
}

TEST(DatasetLocator, EnvironmentVariable) {
  TempDir root;
  write_idx_dataset(root.file("mnist"), 3, 1, true);
  ScopedEnv env(kDataDirEnv, root.str());
  EXPECT_EQ(locate_dataset("mnist", ""), root.file("mnist"));
  EXPECT_EQ(load_dataset("mnist", "").train.count, 3);
}

TEST(DatasetLocator, ExplicitDirOverridesEnvironment) {
  TempDir env_root, arg_root;
  write_idx_dataset(env_root.file("mnist"), 3, 1, false);
  ScopedEnv env(kDataDirEnv, env_root.str());
  expect_error([&] { locate_dataset("mnist", arg_root.str()); }, {"mnist not found in", arg_root.str()});
  write_idx_dataset(arg_root.file("mnist"), 4, 1, false);
  EXPECT_EQ(locate_dataset("mnist", arg_root.str()), arg_root.file("mnist"));
}

TEST(DatasetLocator, NotFoundSaysWhereItLookedAndHowToFix) {
  TempDir root;
  ScopedEnv env(kDataDirEnv, std::nullopt);
  expect_error([&] { locate_dataset("cifar10", root.str()); },
               {"cifar10 not found in", root.str(), "cifar-10-batches-bin", "data_batch_1.bin", "--data-dir"});
  expect_error([&] { locate_dataset("mnist", ""); }, {"mnist not found", "XBARCUT_DATA", "--data-dir"});
}

TEST(DatasetLocator, EnvironmentWithoutTheDatasetNamesBothPlaces) {
  TempDir root;
  ScopedEnv env(kDataDirEnv, root.str());
  expect_error([&] { locate_dataset("mnist", ""); }, {"mnist not found in", root.str(), "XBARCUT_DATA"});
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist")) {
    expect_error([&] { locate_dataset("fashion-mnist", ""); },
                 {"fashion-mnist not found in", root.str(), "/usr/share/datasets/fashion-mnist",
                  "dataset-fashion-mnist", "--data-dir"});
  }
}

TEST(DatasetLocator, IncompleteFolderNamesTheMissingFiles) {
  TempDir root;
  write_cifar_dataset(root.file("cifar10"), 1, true);
  std::filesystem::remove(root.file("cifar10/data_batch_2.bin.gz"));
  std::filesystem::remove(root.file("cifar10/test_batch.bin.gz"));
  expect_error([&] { locate_dataset("cifar10", root.str()); },
               {"cifar10 incomplete in " + root.file("cifar10"), "data_batch_2.bin[.gz]", "test_batch.bin[.gz]"});
}

TEST(DatasetLocator, DataDirThatIsNotADirectory) {
  TempDir root;
  expect_error([&] { locate_dataset("mnist", root.file("typo")); }, {"--data-dir " + root.file("typo") + " is not a directory"});
  ScopedEnv env(kDataDirEnv, root.file("typo"));
  expect_error([&] { locate_dataset("mnist", ""); }, {"XBARCUT_DATA=" + root.file("typo") + " is not a directory"});
}

TEST(DatasetLocator, WrongImageSizeForTheDataset) {
  TempDir root;
  write_idx_dataset(root.file("mnist"), 2, 2, false, 32);
  expect_error([&] { load_dataset("mnist", root.str()); }, {root.file("mnist"), "32x32", "expected 1x28x28"});
}

TEST(DatasetLocator, CorruptFileInsideAFoundDatasetIsNamed) {
  TempDir root;
  write_idx_dataset(root.file("mnist"), 2, 2, true);
  write_gz(root.file("mnist/train-labels-idx1-ubyte.gz"), idx_labels(3));
  expect_error([&] { load_dataset("mnist", root.str()); }, {root.file("mnist/train-labels-idx1-ubyte.gz"), "3 labels"});
}

}  // namespace
}  // namespace xbarcut::data
