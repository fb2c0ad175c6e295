// Helpers for the dataset reader tests: a scratch folder, and writers for small IDX and CIFAR files,
// raw or gzip'd, so every test builds exactly the bytes it then checks.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace xbarcut::data::testing {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

// A fresh folder per test, removed afterwards; the pid keeps parallel ctest runs apart.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("xbarcut_data_") + (info ? info->test_suite_name() + std::string("_") + info->name()
                                                            : std::string("x")) +
                       "_" + std::to_string(::getpid()) + "_" + std::to_string(next_id()++);
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    path_ = fs::temp_directory_path() / name;
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string str() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string subdir(const std::string& name) const {
    fs::create_directories(path_ / name);
    return (path_ / name).string();
  }

 private:
  static int& next_id() {  // several TempDirs in one test must not share a folder
    static int id = 0;
    return id;
  }
  fs::path path_;
};

inline void write_raw(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

inline void write_gz(const std::string& path, const Bytes& bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr) << path;
  if (!bytes.empty()) {
    ASSERT_EQ(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  }
  ASSERT_EQ(gzclose(gz), Z_OK);
}

inline Bytes read_raw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes `path` raw, or `path`.gz compressed; returns the path written.
inline std::string write_maybe_gz(const std::string& path, const Bytes& bytes, bool gz) {
  const std::string out = gz ? path + ".gz" : path;
  if (gz) {
    write_gz(out, bytes);
  } else {
    write_raw(out, bytes);
  }
  return out;
}

inline void put_be32(Bytes& b, uint32_t v) {
  b.push_back(static_cast<uint8_t>(v >> 24));
  b.push_back(static_cast<uint8_t>(v >> 16));
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}

// A pixel value that differs by image, row and column, so any transposition or offset shows.
inline uint8_t idx_pixel(int64_t i, int64_t r, int64_t c) { return static_cast<uint8_t>(i * 37 + r * 11 + c * 3 + 1); }
inline uint8_t test_label(int64_t i, int classes = 10) { return static_cast<uint8_t>((i * 7 + 3) % classes); }

inline Bytes idx_images(uint32_t count, uint32_t rows, uint32_t cols) {
  Bytes b;
  put_be32(b, 0x00000803);
  put_be32(b, count);
  put_be32(b, rows);
  put_be32(b, cols);
  for (uint32_t i = 0; i < count; ++i)
    for (uint32_t r = 0; r < rows; ++r)
      for (uint32_t c = 0; c < cols; ++c) b.push_back(idx_pixel(i, r, c));
  return b;
}

inline Bytes idx_labels(uint32_t count, int classes = 10) {
  Bytes b;
  put_be32(b, 0x00000801);
  put_be32(b, count);
  for (uint32_t i = 0; i < count; ++i) b.push_back(test_label(i, classes));
  return b;
}

// CIFAR pixel for image i (counted across batches via `first`), channel ch, row y, column x.
inline uint8_t cifar_pixel(int64_t i, int64_t ch, int64_t y, int64_t x) {
  return static_cast<uint8_t>(i * 13 + ch * 101 + y * 7 + x * 5);
}

inline Bytes cifar_batch(int64_t count, int64_t first = 0) {
  Bytes b;
  for (int64_t i = first; i < first + count; ++i) {
    b.push_back(test_label(i));
    for (int64_t ch = 0; ch < 3; ++ch)
      for (int64_t y = 0; y < 32; ++y)
        for (int64_t x = 0; x < 32; ++x) b.push_back(cifar_pixel(i, ch, y, x));
  }
  return b;
}

// Writes the four MNIST-layout IDX files (train: n_train images, test: n_test) into dir.
inline void write_idx_dataset(const std::string& dir, uint32_t n_train, uint32_t n_test, bool gz,
                              uint32_t side = 28) {
  fs::create_directories(dir);
  write_maybe_gz(dir + "/train-images-idx3-ubyte", idx_images(n_train, side, side), gz);
  write_maybe_gz(dir + "/train-labels-idx1-ubyte", idx_labels(n_train), gz);
  write_maybe_gz(dir + "/t10k-images-idx3-ubyte", idx_images(n_test, side, side), gz);
  write_maybe_gz(dir + "/t10k-labels-idx1-ubyte", idx_labels(n_test), gz);
}

// Writes the six CIFAR-10 batches, `per_batch` images each, numbered consecutively from batch 1.
inline void write_cifar_dataset(const std::string& dir, int64_t per_batch, bool gz) {
  fs::create_directories(dir);
  for (int b = 1; b <= 5; ++b) {
    write_maybe_gz(dir + "/data_batch_" + std::to_string(b) + ".bin", cifar_batch(per_batch, (b - 1) * per_batch), gz);
  }
  write_maybe_gz(dir + "/test_batch.bin", cifar_batch(per_batch, 1000), gz);
}

// Sets (or with nullopt unsets) an environment variable for one scope, restoring the old value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Runs f, expects xbarcut::Error, and returns its message (empty if nothing or something else was thrown).
inline std::string error_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const xbarcut::Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected xbarcut::Error, got std::exception: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected xbarcut::Error, nothing was thrown";
  return "";
}

// Expects f to throw xbarcut::Error with a one-line message (main prints it as one line) that contains
// every part: the file name and the words that tell the user what is wrong.
inline void expect_error(const std::function<void()>& f, std::initializer_list<std::string> parts) {
  const std::string msg = error_message(f);
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  for (const std::string& part : parts) {
    EXPECT_NE(msg.find(part), std::string::npos) << "'" << part << "' not in: " << msg;
  }
}

}  // namespace xbarcut::data::testing
