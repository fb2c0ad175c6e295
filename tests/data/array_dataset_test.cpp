// Tests for datasets given as NumPy arrays, on files numpy itself writes at test time (savez, savez_compressed,
// save): every pixel and label is checked against the deterministic values the Python side generated, for
// uint8 NHWC colour, float32 NCHW in [0, 1], float64 in [0, 255] and grey (N, H, W) images; then every bad input.
#include "data/array_dataset.hpp"

#include <cstdlib>
#include <fstream>

#include "data/numpy_arrays.hpp"
#include "data_test_util.hpp"

namespace xbarcut::data {
namespace {
using namespace testing;

bool numpy_available() {
  static const bool available = std::system("/usr/bin/python3 -c 'import numpy' > /dev/null 2>&1") == 0;
  return available;
}

#define SKIP_WITHOUT_NUMPY()                                                                                 \
  if (!numpy_available())                                                                                    \
  GTEST_SKIP() << "needs /usr/bin/python3 with numpy to write the fixtures (Debian: apt-get install python3-numpy)"

// The arrays every fixture is cut from; pixel() and label() below recompute them.
const char* const kPrelude = R"(
import numpy as np
def images(n, c, h, w, first=0):  # NCHW uint8
    i, ch, y, x = np.meshgrid(np.arange(first, first + n), np.arange(c), np.arange(h), np.arange(w), indexing='ij')
    return ((i * 7 + ch * 3 + y * 5 + x) % 256).astype(np.uint8)
def nhwc(a):
    return np.ascontiguousarray(a.transpose(0, 2, 3, 1))
def labels(n, classes, first=0):
    return (np.arange(first, first + n) * 3 + 1) % classes
def save_dir(**arrays):
    for name, a in arrays.items():
        np.save(name + '.npy', a)
def standard(**changed):  # the standard fixture's uint8 NCHW arrays, some replaced
    arrays = dict(x_train=images(6, 3, 5, 7), y_train=labels(6, 5), x_test=images(4, 3, 5, 7, 100),
                  y_test=labels(4, 5, 100))
    arrays.update(changed)
    return arrays
)";

uint8_t pixel(int64_t i, int64_t c, int64_t y, int64_t x) {
  return static_cast<uint8_t>((i * 7 + c * 3 + y * 5 + x) % 256);
}
int label(int64_t i, int classes) { return static_cast<int>((i * 3 + 1) % classes); }

// The shapes of the standard fixture: 6 training and 4 test images (numbered from 100) of 3x5x7, 5 classes.
constexpr int64_t kTrain = 6, kTest = 4, kTestFirst = 100, kHeight = 5, kWidth = 7;
constexpr int kClasses = 5;

// Runs the prelude and `body` with dir as the working folder.
void run_numpy(const TempDir& dir, const std::string& body) {
  const std::string script = dir.file("make_fixture.py");
  std::ofstream(script) << kPrelude << body;
  const std::string command = "cd '" + dir.str() + "' && /usr/bin/python3 " + script;
  ASSERT_EQ(std::system(command.c_str()), 0) << body;
}

void expect_set(const ImageSet& set, int64_t count, int64_t first, int64_t channels, const std::string& source) {
  EXPECT_EQ(set.name, source);
  EXPECT_EQ(set.num_classes, kClasses);
  EXPECT_TRUE(set.class_names.empty());
  ASSERT_EQ(set.count, count);
  ASSERT_EQ(set.channels, channels);
  ASSERT_EQ(set.height, kHeight);
  ASSERT_EQ(set.width, kWidth);
  ASSERT_EQ(static_cast<int64_t>(set.pixels.size()), count * channels * kHeight * kWidth);
  ASSERT_EQ(static_cast<int64_t>(set.labels.size()), count);
  for (int64_t i = 0; i < count; ++i) {
    ASSERT_EQ(set.label(i), label(first + i, kClasses)) << i;
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t y = 0; y < kHeight; ++y)
        for (int64_t x = 0; x < kWidth; ++x)
          ASSERT_EQ(set.pixel(i, c, y, x), pixel(first + i, c, y, x)) << i << " " << c << " " << y << " " << x;
  }
}

void expect_split(const DatasetSplit& split, int64_t channels, const std::string& source) {
  expect_set(split.train, kTrain, 0, channels, source);
  expect_set(split.test, kTest, kTestFirst, channels, source);
}

// The python expressions of the standard fixture's arrays, with `convert` applied to the NCHW images.
std::string standard_arrays(const std::string& convert) {
  return "x_train=" + convert + "(images(6, 3, 5, 7)), y_train=labels(6, 5), x_test=" + convert +
         "(images(4, 3, 5, 7, 100)), y_test=labels(4, 5, 100)";
}

TEST(ArrayDataset, SavezUint8ChannelsLast) {
  SKIP_WITHOUT_NUMPY();
  TempDir dir;
  run_numpy(dir, "np.savez('d.npz', " + standard_arrays("nhwc") + ")\n");
  expect_split(read_array_dataset(dir.file("d.npz"), ArrayLayout::Auto), 3, dir.file("d.npz"));
  expect_split(read_array_dataset(dir.file("d.npz"), ArrayLayout::NHWC), 3, dir.file("d.npz"));
  const std::map<std::string, NumpyArray> arrays = read_npz(dir.file("d.npz"));
  ASSERT_EQ(arrays.size(), 4u);
  EXPECT_EQ(arrays.at("x_train").dtype, "u1");
  EXPECT_EQ(arrays.at("x_train").shape, (std::vector<int64_t>{6, 5, 7, 3}));
  EXPECT_EQ(arrays.at("y_test").dtype, "i8");
}

TEST(ArrayDataset, SavezCompressedFloat32ChannelsFirstInZeroToOne) {
  SKIP_WITHOUT_NUMPY();
  TempDir dir;
  // As torchvision's ToTensor writes them: float32 in [0, 1], NCHW; labels of another integer width.
  run_numpy(dir, "unit = lambda a: (a / np.float32(255)).astype(np.float32)\n"
                 "np.savez_compressed('d.npz', x_train=unit(images(6, 3, 5, 7)), y_train=labels(6, 5).astype(np.int32),"
                 " x_test=unit(images(4, 3, 5, 7, 100)), y_test=labels(4, 5, 100).astype(np.uint16))\n");
  expect_split(read_array_dataset(dir.file("d.npz"), ArrayLayout::Auto), 3, dir.file("d.npz"));
  expect_split(read_array_dataset(dir.file("d.npz"), ArrayLayout::NCHW), 3, dir.file("d.npz"));
}

TEST(ArrayDataset, FolderOfGreyImages) {
  SKIP_WITHOUT_NUMPY();
  TempDir dir;
  // Keras writes labels as (N, 1) columns; the folder's files may be gzip'd like every dataset file.
  run_numpy(dir, "save_dir(x_train=images(6, 1, 5, 7)[:, 0], y_train=labels(6, 5).astype(np.uint8).reshape(6, 1),"
                 " x_test=images(4, 1, 5, 7, 100)[:, 0], y_test=labels(4, 5, 100).astype(np.int16))\n"
                 "import gzip, shutil\n"
                 "with open('x_test.npy', 'rb') as raw, gzip.open('x_test.npy.gz', 'wb') as gz:\n"
                 "    shutil.copyfileobj(raw, gz)\n");
  std::filesystem::remove(dir.file("x_test.npy"));
  expect_split(read_array_dataset(dir.str(), ArrayLayout::Auto), 1, dir.str());
}

TEST(ArrayDataset, Float64InZeroTo255IsRounded) {
  SKIP_WITHOUT_NUMPY();
  TempDir dir;
  run_numpy(dir, "near = lambda a: np.maximum(a.astype(np.float64) - 0.4, 0)\n"
                 "save_dir(" + standard_arrays("near") + ")\n");
  expect_split(read_array_dataset(dir.str(), ArrayLayout::Auto), 3, dir.str());
}

TEST(ArrayDataset, LayoutFlagSettlesAnAmbiguousShape) {
  SKIP_WITHOUT_NUMPY();
  TempDir dir;
  // (N, 3, 5, 3): three channels first or last. NCHW reads 3 planes of 5x3, NHWC 3x5 images of 3 channels.
  run_numpy(dir, "np.savez('d.npz', x_train=images(6, 3, 5, 3), y_train=labels(6, 5), x_test=images(4, 3, 5, 3, 100),"
                 " y_test=labels(4, 5, 100))\n");
  expect_error([&] { read_array_dataset(dir.file("d.npz"), ArrayLayout::Auto); },
               {dir.file("d.npz") + " (array x_train)", "(6, 3, 5, 3)", "--layout nchw", "--layout nhwc"});
  const DatasetSplit nchw = read_array_dataset(dir.file("d.npz"), ArrayLayout::NCHW);
  ASSERT_EQ(nchw.train.channels, 3);
  ASSERT_EQ(nchw.train.height, 5);
  ASSERT_EQ(nchw.train.width, 3);
  EXPECT_EQ(nchw.test.pixel(2, 1, 4, 2), pixel(102, 1, 4, 2));
  const DatasetSplit nhwc = read_array_dataset(dir.file("d.npz"), ArrayLayout::NHWC);
  ASSERT_EQ(nhwc.train.channels, 3);
  ASSERT_EQ(nhwc.train.height, 3);
  ASSERT_EQ(nhwc.train.width, 5);
  // The file's [i][a][b][c] is (y=a, x=b, channel c) in NHWC; the generator named its axes (c, y, x).
  for (int64_t a = 0; a < 3; ++a)
    for (int64_t b = 0; b < 5; ++b)
      for (int64_t c = 0; c < 3; ++c) ASSERT_EQ(nhwc.train.pixel(4, c, a, b), pixel(4, a, b, c));
}

// Writes a fixture with `python` and expects read_array_dataset(`source` in that folder, "" for the folder
// itself) to refuse it with one line naming `named` (a file there, or "d.npz (array y_train)") and every part.
void expect_fixture_error(const std::string& python, const std::string& source, const std::string& named,
                          std::initializer_list<std::string> parts) {
  TempDir dir;
  run_numpy(dir, python);
  if (::testing::Test::HasFatalFailure()) return;
  const auto read = [&] { read_array_dataset(source.empty() ? dir.str() : dir.file(source), ArrayLayout::Auto); };
  expect_error(read, {dir.file(named)});
  expect_error(read, parts);
}

TEST(ArrayDatasetErrors, NeitherAxisLooksLikeChannels) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("save_dir(**standard(x_train=images(6, 4, 5, 6), x_test=images(4, 4, 5, 6)))\n", "",
                       "x_train.npy", {"neither axis", "--layout nchw or --layout nhwc"});
}

TEST(ArrayDatasetErrors, MissingMemberOfTheNpz) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("a = standard()\ndel a['x_test']\nnp.savez('d.npz', **a)\n", "d.npz", "d.npz",
                       {"no array x_test", "x_train, y_test, y_train", "numpy.savez"});
}

TEST(ArrayDatasetErrors, FolderMissingAFile) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("a = standard()\ndel a['y_test']\nsave_dir(**a)\n", "", "y_test.npy",
                       {"missing", "x_train.npy, y_train.npy, x_test.npy and y_test.npy"});
}

TEST(ArrayDatasetErrors, NoSuchSource) {
  TempDir dir;
  expect_error([&] { read_array_dataset(dir.file("none.npz"), ArrayLayout::Auto); },
               {dir.file("none.npz"), "no such file or folder"});
}

TEST(ArrayDatasetErrors, BrokenNpyFilesAreNamed) {
  SKIP_WITHOUT_NUMPY();
  TempDir dir;
  run_numpy(dir, "save_dir(**standard())\nnp.save('x_fortran.npy', np.asfortranarray(images(6, 3, 5, 7)))\n");
  const Bytes good = read_raw(dir.file("x_test.npy"));
  Bytes truncated = good;
  truncated.resize(truncated.size() - 10);
  write_raw(dir.file("x_test.npy"), truncated);
  expect_error([&] { read_array_dataset(dir.str(), ArrayLayout::Auto); }, {dir.file("x_test.npy"), "truncated"});
  Bytes bad_magic = good;
  bad_magic[1] = 'X';
  write_raw(dir.file("x_test.npy"), bad_magic);
  expect_error([&] { read_array_dataset(dir.str(), ArrayLayout::Auto); }, {dir.file("x_test.npy"), "not a .npy file"});
  std::filesystem::rename(dir.file("x_fortran.npy"), dir.file("x_train.npy"));
  expect_error([&] { read_array_dataset(dir.str(), ArrayLayout::Auto); }, {dir.file("x_train.npy"), "fortran_order"});
}

TEST(ArrayDatasetErrors, FloatLabels) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("np.savez('d.npz', **standard(y_train=labels(6, 5).astype(np.float32)))\n", "d.npz",
                       "d.npz (array y_train)", {"float32", "integer class indices"});
}

TEST(ArrayDatasetErrors, OneHotLabels) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("save_dir(**standard(y_train=np.eye(5, dtype=np.uint8)[labels(6, 5)]))\n", "", "y_train.npy",
                       {"(6, 5)", "one-hot", "argmax"});
}

TEST(ArrayDatasetErrors, MismatchedCounts) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("save_dir(**standard(y_test=labels(3, 5)))\n", "", "y_test.npy",
                       {"3 labels", "x_test holds 4 images"});
}

TEST(ArrayDatasetErrors, TrainAndTestShapesDiffer) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("save_dir(**standard(x_test=images(4, 3, 7, 5)))\n", "", "x_test.npy",
                       {"(4, 3, 7, 5)", "x_train's are (6, 3, 5, 7)"});
}

TEST(ArrayDatasetErrors, ImagesOfTheWrongRank) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("save_dir(**standard(x_train=images(6, 3, 5, 7).reshape(6, -1)))\n", "", "x_train.npy",
                       {"(6, 105)", "(N, H, W)"});
}

TEST(ArrayDatasetErrors, NormalisedFloatsAreRefused) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("norm = lambda a: (a / np.float32(255) * 3 - 1).astype(np.float32)\n"
                       "np.savez('d.npz', " + standard_arrays("norm") + ")\n",
                       "d.npz", "d.npz (array x_train)",
                       {"float32 values span [-1, -0.2", "outside [0, 255]", "un-normalise"});
}

TEST(ArrayDatasetErrors, NonFiniteValues) {
  SKIP_WITHOUT_NUMPY();
  const int64_t nan_element = ((1 * 3 + 2) * 5 + 3) * 7 + 4;  // x[1, 2, 3, 4] of (4, 3, 5, 7)
  expect_fixture_error("x = images(4, 3, 5, 7).astype(np.float64)\nx[1, 2, 3, 4] = np.nan\n"
                       "save_dir(**standard(x_test=x))\n",
                       "", "x_test.npy", {"NaN or infinite", "element " + std::to_string(nan_element)});
}

TEST(ArrayDatasetErrors, BooleanImages) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("save_dir(**standard(x_train=images(6, 3, 5, 7) > 9, x_test=images(4, 3, 5, 7) > 9))\n", "",
                       "x_train.npy", {"dtype bool", "uint8"});
}

TEST(ArrayDatasetErrors, NegativeLabel) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("y = labels(6, 5)\ny[2] = -1\nsave_dir(**standard(y_train=y))\n", "", "y_train.npy",
                       {"label -1 at index 2"});
}

TEST(ArrayDatasetErrors, TestLabelWithoutTrainingExample) {
  SKIP_WITHOUT_NUMPY();
  expect_fixture_error("y = labels(4, 5)\ny[3] = 7\nsave_dir(**standard(y_test=y))\n", "", "y_test.npy",
                       {"label 7 at index 3", "no training example", "0 .. 4"});
}

}  // namespace
}  // namespace xbarcut::data
