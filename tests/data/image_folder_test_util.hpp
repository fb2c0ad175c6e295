// Helpers for the image folder and dataset cache tests: small images with known pixels, written as PNG, BMP or JPEG
// with stb into a train/<class>/ and test/<class>/ layout, so each test checks exactly what it wrote.
#pragma once
#include <stb_image_write.h>

#include <cstdint>
#include <string>
#include <vector>

#include "data/image_set.hpp"
#include "data_test_util.hpp"

namespace xbarcut::data::testing {

// An image as stb reads and writes it: rows of interleaved channels (HWC).
struct TestImage {
  int height = 0, width = 0, channels = 0;
  std::vector<uint8_t> hwc;
  uint8_t at(int y, int x, int c) const { return hwc[static_cast<size_t>((y * width + x) * channels + c)]; }
};

// Pixels that differ by image (seed), row, column and channel, so any offset, transposition or swap shows.
inline TestImage pattern_image(int height, int width, int channels, int seed) {
  TestImage img{height, width, channels, {}};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c)
        img.hwc.push_back(static_cast<uint8_t>(seed * 37 + y * 11 + x * 3 + c * 71 + 5));
  return img;
}

// One value everywhere: resizing keeps it exactly, whatever the filter.
inline TestImage flat_image(int height, int width, int channels, uint8_t value) {
  return {height, width, channels, std::vector<uint8_t>(static_cast<size_t>(height * width * channels), value)};
}

// Writes by the file's extension: .png, .bmp (both lossless) or .jpg/.jpeg (quality 100).
inline void write_image(const std::string& path, const TestImage& img) {
  fs::create_directories(fs::path(path).parent_path());
  const std::string ext = fs::path(path).extension().string();
  int ok = 0;
  if (ext == ".png" || ext == ".PNG") {
    ok = stbi_write_png(path.c_str(), img.width, img.height, img.channels, img.hwc.data(), img.width * img.channels);
  } else if (ext == ".bmp") {
    ok = stbi_write_bmp(path.c_str(), img.width, img.height, img.channels, img.hwc.data());
  } else {
    ok = stbi_write_jpg(path.c_str(), img.width, img.height, img.channels, img.hwc.data(), 100);
  }
  ASSERT_NE(ok, 0) << path;
}

// An 8-bit palette BMP of a grey image (as PIL writes mode "L"): palette entry v is (v, v, v), or, with
// `tint_entry` >= 0, that one entry is made colour (a palette image that is not grey).
inline void write_palette_bmp(const std::string& path, const TestImage& grey, int tint_entry = -1) {
  fs::create_directories(fs::path(path).parent_path());
  const uint32_t row = (static_cast<uint32_t>(grey.width) + 3u) & ~3u;  // rows padded to 4 bytes
  const uint32_t offset = 14 + 40 + 256 * 4, size = offset + row * static_cast<uint32_t>(grey.height);
  std::vector<uint8_t> bytes;
  auto u16 = [&](uint32_t v) { bytes.push_back(v & 0xff); bytes.push_back((v >> 8) & 0xff); };
  auto u32 = [&](uint32_t v) { u16(v & 0xffff); u16(v >> 16); };
  bytes.push_back('B');
  bytes.push_back('M');
  u32(size);
  u32(0);
  u32(offset);
  u32(40);
  u32(static_cast<uint32_t>(grey.width));
  u32(static_cast<uint32_t>(grey.height));
  u16(1);
  u16(8);
  for (int i = 0; i < 6; ++i) u32(i == 4 ? 256 : 0);  // no compression, ..., 256 colours used
  for (int v = 0; v < 256; ++v) {
    const auto g = static_cast<uint8_t>(v);
    bytes.insert(bytes.end(), {g, v == tint_entry ? static_cast<uint8_t>(g ^ 0x40) : g, g, 0});
  }
  for (int y = grey.height - 1; y >= 0; --y) {  // bottom-up
    for (int x = 0; x < grey.width; ++x) bytes.push_back(grey.at(y, x, 0));
    bytes.resize(bytes.size() + row - static_cast<uint32_t>(grey.width), 0);
  }
  write_raw(path, bytes);
}

// A small valid folder: train/{cat,dog} and test/{cat,dog}, two 4x5 grey PNGs per class and split.
inline void write_small_folder(const std::string& dir) {
  int seed = 0;
  for (const char* split : {"train", "test"}) {
    for (const char* cls : {"cat", "dog"}) {
      for (const char* file : {"a.png", "b.png"}) {
        write_image(dir + "/" + split + "/" + cls + "/" + file, pattern_image(4, 5, 1, seed++));
      }
    }
  }
}

// Every field of two image sets equal.
inline void expect_same_sets(const ImageSet& a, const ImageSet& b) {
  EXPECT_EQ(a.count, b.count);
  EXPECT_EQ(a.channels, b.channels);
  EXPECT_EQ(a.height, b.height);
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.pixels, b.pixels);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.num_classes, b.num_classes);
  EXPECT_EQ(a.class_names, b.class_names);
  EXPECT_EQ(a.name, b.name);
}

// A folder to decode in small chunks: train/{a,b,c} with 14 image files and test/{a,c} with 5, all 16x16, grey
// and colour mixed. train/b holds, in the middle of the files, one that is not an image (refused by the header
// pass) and one whose header is good but whose pixel data stops half-way (refused only when decoded), so with
// --bad-images skip 12 train images are left. Without `bad`, those two files are left out: 12 good ones.
inline void write_folder_with_bad_images(const std::string& dir, bool bad = true) {
  int seed = 0;
  for (const char* cls : {"a", "b", "c"}) {
    for (int i = 0; i < (cls[0] == 'b' ? 6 : 4); ++i) {
      const std::string path = dir + "/train/" + cls + "/" + std::to_string(i) + ".png";
      write_image(path, pattern_image(16, 16, seed % 3 == 0 ? 3 : 1, seed));
      ++seed;
    }
  }
  if (bad) {
    write_raw(dir + "/train/b/2.png", {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'});
    Bytes png = read_raw(dir + "/train/b/3.png");
    png.resize(png.size() / 2);
    write_raw(dir + "/train/b/3.png", png);
  } else {
    fs::remove(dir + "/train/b/2.png");
    fs::remove(dir + "/train/b/3.png");
  }
  for (int i = 0; i < 5; ++i) {
    write_image(dir + "/test/" + (i < 3 ? "a/" : "c/") + std::to_string(i) + ".png", pattern_image(16, 16, 1, seed++));
  }
}

}  // namespace xbarcut::data::testing
