// Tests for --dataset parsing: built-in names, the images:/npz:/npy: forms, their options and the canonical text
// checkpoints record.
#include <gtest/gtest.h>

#include <filesystem>

#include "data/data_source.hpp"
#include "data_test_util.hpp"

namespace xbarcut::data {
namespace {

using testing::expect_error;

TEST(DataSource, BuiltInNamesStayAsTheyAre) {
  for (const std::string name : {"mnist", "fashion-mnist", "cifar10", "cifar10-grey", "cifar100", "cifar100-coarse"}) {
    const DataSource s = parse_data_source(name);
    EXPECT_TRUE(s.builtin()) << name;
    EXPECT_EQ(s.text(), name);
  }
}

TEST(DataSource, UnknownNameListsTheForms) {
  expect_error([] { parse_data_source("cifar11"); }, {"unknown dataset 'cifar11'", "cifar10", "images:DIR"});
  expect_error([] { parse_data_source("mnist?resize=32"); }, {"options", "images:DIR"});
}

TEST(DataSource, ImageFolderOptionsRoundTrip) {
  const DataSource s = parse_data_source("images:/data/pets/?crop=28x30&resize=32&bad-images=skip&channels=1");
  EXPECT_EQ(s.kind, SourceKind::ImageFolder);
  EXPECT_EQ(s.path, "/data/pets");
  EXPECT_EQ(s.resize_height, 32);
  EXPECT_EQ(s.resize_width, 32);
  EXPECT_EQ(s.crop_height, 28);
  EXPECT_EQ(s.crop_width, 30);
  EXPECT_EQ(s.channels, 1);
  EXPECT_TRUE(s.skip_bad_images);
  EXPECT_EQ(s.text(), "images:/data/pets?resize=32x32&crop=28x30&channels=1&bad-images=skip");
  EXPECT_EQ(parse_data_source(s.text()).text(), s.text());
}

TEST(DataSource, RelativePathsBecomeAbsolute) {
  const DataSource s = parse_data_source("npz:some/arrays.npz");
  EXPECT_EQ(s.kind, SourceKind::NumpyArrays);
  EXPECT_EQ(s.path, (std::filesystem::current_path() / "some/arrays.npz").lexically_normal().string());
  EXPECT_EQ(s.text(), "npz:" + s.path);
}

TEST(DataSource, NormalisationAndLayout) {
  const DataSource s = parse_data_source("npy:/x?layout=nhwc&mean=0.5,0.25,0.125&std=0.5,0.5,0.5");
  EXPECT_EQ(s.layout, "nhwc");
  EXPECT_EQ(s.mean, (std::vector<double>{0.5, 0.25, 0.125}));
  EXPECT_EQ(parse_data_source(s.text()).mean, s.mean);
}

TEST(DataSource, BadOptionsSayWhatIsWrong) {
  expect_error([] { parse_data_source("images:"); }, {"names no path"});
  expect_error([] { parse_data_source("images:/d?resize=0x4"); }, {"--resize", "'0x4'", "HxW"});
  expect_error([] { parse_data_source("images:/d?resize=ax4"); }, {"--resize"});
  expect_error([] { parse_data_source("images:/d?channels=2"); }, {"--channels must be 1"});
  expect_error([] { parse_data_source("images:/d?bad-images=maybe"); }, {"--bad-images must be refuse or skip"});
  expect_error([] { parse_data_source("images:/d?layout=nchw"); }, {"'layout' applies to npz"});
  expect_error([] { parse_data_source("npz:/d.npz?resize=32"); }, {"'resize' applies to images:DIR"});
  expect_error([] { parse_data_source("npz:/d.npz?std=0,1"); }, {"--std values must be > 0"});
  expect_error([] { parse_data_source("npz:/d.npz?mean=nan"); }, {"--mean", "not a list of numbers"});
  expect_error([] { parse_data_source("npz:/d.npz?mean=0.5,0.5&std=0.2"); }, {"2 values", "--std has 1"});
  expect_error([] { parse_data_source("images:/d?zoom=2"); }, {"unknown option 'zoom'"});
  expect_error([] { parse_data_source("images:/d?resize"); }, {"not key=value"});
}

}  // namespace
}  // namespace xbarcut::data
