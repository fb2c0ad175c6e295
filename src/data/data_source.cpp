// Parsing and printing of data sources. The query form keeps every option with the data it describes, so a
// checkpoint trained on `images:DIR?resize=32x32` is evaluated on the same pixels without repeating the flags.
#include "data/data_source.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include <fmt/core.h>

#include "common/error.hpp"
#include "data/dataset_info.hpp"

namespace xbarcut::data {
namespace {

constexpr const char* kForms = "images:DIR, npz:FILE or npy:DIR";

int64_t parse_positive(const std::string& text, const std::string& what, const std::string& whole) {
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || v < 1 || v > 1'000'000) {
    throw Error(fmt::format("{} '{}' is not a size: give HxW with whole numbers from 1, e.g. 32x32", what, whole));
  }
  return v;
}

std::string join(const std::vector<double>& values) {
  std::string out;
  for (double v : values) out += (out.empty() ? "" : ",") + fmt::format("{}", v);
  return out;
}

void set_option(DataSource& s, const std::string& key, const std::string& value, const std::string& text) {
  const bool images = s.kind == SourceKind::ImageFolder;
  auto only_for_images = [&] {
    if (!images) throw Error(fmt::format("dataset '{}': option '{}' applies to images:DIR only", text, key));
  };
  if (key == "resize") {
    only_for_images();
    std::tie(s.resize_height, s.resize_width) = parse_size(value, "--resize");
  } else if (key == "crop") {
    only_for_images();
    std::tie(s.crop_height, s.crop_width) = parse_size(value, "--crop");
  } else if (key == "channels") {
    if (value != "1" && value != "3") {
      throw Error(fmt::format("--channels must be 1 (grey) or 3 (colour), got '{}'", value));
    }
    s.channels = std::stoll(value);
  } else if (key == "bad-images") {
    only_for_images();
    if (value != "skip" && value != "refuse") {
      throw Error(fmt::format("--bad-images must be refuse or skip, got '{}'", value));
    }
    s.skip_bad_images = value == "skip";
  } else if (key == "layout") {
    if (s.kind != SourceKind::NumpyArrays) {
      throw Error(fmt::format("dataset '{}': option 'layout' applies to npz:FILE and npy:DIR only", text));
    }
    if (value != "auto" && value != "nchw" && value != "nhwc") {
      throw Error(fmt::format("--layout must be auto, nchw or nhwc, got '{}'", value));
    }
    s.layout = value;
  } else if (key == "mean") {
    s.mean = parse_numbers(value, "--mean");
  } else if (key == "std") {
    s.std = parse_numbers(value, "--std");
    for (double v : s.std) {
      if (!(v > 0)) throw Error(fmt::format("--std values must be > 0, got '{}'", value));
    }
  } else {
    throw Error(fmt::format("dataset '{}': unknown option '{}' (known: resize, crop, channels, bad-images, layout, "
                            "mean, std)",
                            text, key));
  }
}

}  // namespace

std::pair<int64_t, int64_t> parse_size(const std::string& text, const std::string& what) {
  const auto x = text.find_first_of("xX");
  if (x == std::string::npos) {
    const int64_t n = parse_positive(text, what, text);
    return {n, n};
  }
  return {parse_positive(text.substr(0, x), what, text), parse_positive(text.substr(x + 1), what, text)};
}

std::vector<double> parse_numbers(const std::string& text, const std::string& what) {
  std::vector<double> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t used = 0;
    double v = NAN;
    try {
      v = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || item.empty() || !std::isfinite(v)) {
      throw Error(fmt::format("{} '{}' is not a list of numbers: give one per channel, e.g. 0.5 or 0.49,0.48,0.45",
                              what, text));
    }
    values.push_back(v);
  }
  if (values.empty() || values.size() > 4) {
    throw Error(fmt::format("{} '{}': give one number per channel (1 or 3)", what, text));
  }
  return values;
}

DataSource parse_data_source(const std::string& text) {
  DataSource s;
  const auto colon = text.find(':');
  const std::string prefix = colon == std::string::npos ? "" : text.substr(0, colon);
  if (prefix != "images" && prefix != "npz" && prefix != "npy") {
    if (text.find('?') != std::string::npos) {
      throw Error(fmt::format("dataset '{}': options (resize, crop, layout, ...) apply to {} only", text, kForms));
    }
    const auto names = dataset_names();
    if (std::find(names.begin(), names.end(), text) == names.end()) {
      throw Error(fmt::format("unknown dataset '{}': valid names are {}, or your own data as {}", text,
                              dataset_names_joined(), kForms));
    }
    s.name = text;
    return s;
  }
  s.kind = prefix == "images" ? SourceKind::ImageFolder : SourceKind::NumpyArrays;
  const std::string rest = text.substr(colon + 1);
  const auto q = rest.find('?');
  const std::string path = rest.substr(0, q);
  if (path.empty()) throw Error(fmt::format("dataset '{}' names no path: give {}", text, kForms));
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(path, ec);
  s.path = (ec ? std::filesystem::path(path) : absolute).lexically_normal().string();
  if (s.path.size() > 1 && s.path.back() == '/') s.path.pop_back();
  s.name = prefix;  // images, npz or npy: the form, kept for text()
  if (q == std::string::npos) return s;
  std::stringstream in(rest.substr(q + 1));
  std::string item;
  while (std::getline(in, item, '&')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error(fmt::format("dataset '{}': option '{}' is not key=value", text, item));
    }
    set_option(s, item.substr(0, eq), item.substr(eq + 1), text);
  }
  if (!s.mean.empty() && !s.std.empty() && s.mean.size() != s.std.size()) {
    throw Error(fmt::format("dataset '{}': --mean has {} values but --std has {}", text, s.mean.size(), s.std.size()));
  }
  return s;
}

std::string DataSource::text() const {
  if (builtin()) return name;
  std::vector<std::string> options;
  if (resize_height) options.push_back(fmt::format("resize={}x{}", resize_height, resize_width));
  if (crop_height) options.push_back(fmt::format("crop={}x{}", crop_height, crop_width));
  if (channels) options.push_back(fmt::format("channels={}", channels));
  if (skip_bad_images) options.push_back("bad-images=skip");
  if (layout != "auto") options.push_back("layout=" + layout);
  if (!mean.empty()) options.push_back("mean=" + join(mean));
  if (!std.empty()) options.push_back("std=" + join(std));
  std::string out = name + ":" + path;
  for (size_t i = 0; i < options.size(); ++i) out += (i == 0 ? "?" : "&") + options[i];
  return out;
}

}  // namespace xbarcut::data
