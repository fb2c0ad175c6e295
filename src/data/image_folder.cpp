// Image folders are read in two passes: the headers first (sizes and colour, cheap), so the output shape and the
// channel count are settled, and every refusal made, before any pixel is decoded; then the images are decoded a
// chunk at a time, each chunk on all cores straight into its slot of one chunk buffer, and handed on in file order.
#include "data/image_folder.hpp"

#include <stb_image.h>
#include <stb_image_resize.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "common/error.hpp"
#include "data/byte_order.hpp"
#include "data/cifar_reader.hpp"

namespace xbarcut::data {
namespace {

namespace fs = std::filesystem;

constexpr const char* kImageExtensions = ".png, .jpg, .jpeg or .bmp";

std::string size_text(int64_t height, int64_t width) { return std::to_string(height) + "x" + std::to_string(width); }

bool hidden(const fs::path& p) { return !p.filename().empty() && p.filename().string()[0] == '.'; }

std::string lower_case_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool has_image_extension(const fs::path& p) {
  const std::string ext = lower_case_extension(p);
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp";
}

// Subfolder names in byte order (std::string's <), as Python's sorted() orders torchvision's classes.
std::vector<std::string> sorted_subfolders(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && !hidden(entry.path())) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Image files anywhere below a class folder (torchvision walks it recursively too), sorted by path.
std::vector<std::string> sorted_image_files(const fs::path& class_dir) {
  std::vector<std::string> files;
  const auto walk_options =
      fs::directory_options::follow_directory_symlink | fs::directory_options::skip_permission_denied;
  for (auto it = fs::recursive_directory_iterator(class_dir, walk_options); it != fs::recursive_directory_iterator();
       ++it) {
    if (hidden(it->path())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && has_image_extension(it->path())) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path existing_split_folder(const fs::path& dir, const char* split) {
  const fs::path folder = dir / split;
  if (!fs::is_directory(folder)) {
    throw Error(dir.string() + ": no " + split + "/ folder; an image folder holds train/<class>/* and test/<class>/*");
  }
  return folder;
}

// The files of one split, labelled by the index of their class in `class_names`.
std::vector<ImageFile> list_split(const fs::path& split_dir, const std::vector<std::string>& class_names) {
  const std::vector<std::string> folders = sorted_subfolders(split_dir);
  if (folders.empty()) {
    throw Error(split_dir.string() + ": no class folders; put each class's images in a subfolder named after it");
  }
  std::vector<ImageFile> files;
  for (const std::string& folder : folders) {
    const auto known = std::lower_bound(class_names.begin(), class_names.end(), folder);
    if (known == class_names.end() || *known != folder) {
      throw Error((split_dir / folder).string() + ": class '" + folder +
                  "' is not in train/; add it there or remove it from test/");
    }
    const auto label = static_cast<int32_t>(known - class_names.begin());
    const std::vector<std::string> paths = sorted_image_files(split_dir / folder);
    if (paths.empty()) {
      throw Error((split_dir / folder).string() + ": empty class folder, no " + kImageExtensions +
                  " files; add images or remove the folder");
    }
    for (const std::string& path : paths) files.push_back({path, label});
  }
  return files;
}

void validate(const ImageFolderOptions& o) {
  auto check_size = [](int64_t h, int64_t w, const char* name) {
    if (!((h == 0 && w == 0) || (h >= 1 && w >= 1))) {
      throw Error(std::string("`") + name + "_height` and `" + name +
                  "_width` must both be 0 (none) or both >= 1, got " + size_text(h, w));
    }
  };
  check_size(o.resize_height, o.resize_width, "resize");
  check_size(o.fit_height, o.fit_width, "fit");
  check_size(o.crop_height, o.crop_width, "crop");
  if (o.channels != 0 && o.channels != 1 && o.channels != 3) {
    throw Error("`channels` must be 0 (as the images), 1 (grey) or 3 (colour), got " + std::to_string(o.channels));
  }
}

// "<what> DIR: done/total images" on stderr every 2 s while a pass goes on, across the runs it takes.
class Progress {
 public:
  Progress(const char* what, const std::string& dir, int64_t total)
      : what_(what), dir_(dir), total_(total), next_(std::chrono::steady_clock::now() + kEvery) {}
  std::chrono::steady_clock::time_point next() const { return next_; }
  void print(int64_t done) {
    std::fprintf(stderr, "%s %s: %lld/%lld images\n", what_, dir_.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total_));
    next_ = std::chrono::steady_clock::now() + kEvery;
  }

 private:
  static constexpr std::chrono::seconds kEvery{2};
  const char* what_;
  const std::string& dir_;
  int64_t total_;
  std::chrono::steady_clock::time_point next_;
};

// Runs job(0..n) on every core, `progress` counting `done_before` plus the jobs done. The first exception a job
// throws stops the others and is rethrown here.
void run_on_all_cores(int64_t n, const std::function<void(int64_t)>& job, Progress& progress, int64_t done_before = 0) {
  const int64_t workers = std::min<int64_t>(n, std::max(1u, std::thread::hardware_concurrency()));
  std::atomic<int64_t> next{0}, done{0};
  std::mutex mutex;
  std::condition_variable all_finished;
  int64_t finished = 0;
  std::exception_ptr failure;
  std::vector<std::thread> threads;
  for (int64_t t = 0; t < workers; ++t) {
    threads.emplace_back([&] {
      try {
        for (int64_t i = next++; i < n; i = next++) {
          job(i);
          ++done;
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure) failure = std::current_exception();
        next = n;
      }
      std::lock_guard<std::mutex> lock(mutex);
      ++finished;
      all_finished.notify_one();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (!all_finished.wait_until(lock, progress.next(), [&] { return finished == workers; })) {
      progress.print(done_before + done);
    }
  }
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
}

// Whether `path` is a palette BMP (8 bits per pixel or fewer) whose palette is all grey: stb reports such a file,
// the usual way grey BMPs are written (PIL's "L" mode, most scanners), as RGB, which would make a grey folder colour.
bool is_grey_palette_bmp(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, &std::fclose);
  uint8_t header[54];
  if (std::fread(header, 1, sizeof header, f) != sizeof header || header[0] != 'B' || header[1] != 'M') return false;
  const uint32_t dib_size = little_endian(header + 14), bits = little_endian(header + 28, 2);
  if (dib_size < 40 || bits == 0 || bits > 8) return false;
  uint32_t colours = little_endian(header + 46);
  if (colours == 0 || colours > (1u << bits)) colours = 1u << bits;
  if (std::fseek(f, static_cast<long>(14 + dib_size), SEEK_SET) != 0) return false;
  for (uint32_t i = 0; i < colours; ++i) {
    uint8_t bgra[4];
    if (std::fread(bgra, 1, 4, f) != 4) return false;
    if (bgra[0] != bgra[1] || bgra[1] != bgra[2]) return false;
  }
  return true;
}

bool is_bmp(const fs::path& p) { return lower_case_extension(p) == ".bmp"; }

// What the header pass learns of one file.
struct ImageHeader {
  int width = 0, height = 0, channels = 0;  // channels as stored: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
  bool readable = false;
  std::string problem;  // stb's reason when unreadable
  bool colour() const { return channels >= 3; }
};

// One image to read, and which split it goes to.
struct ImageJob {
  const ImageFile* file;
  int split;  // 0 train, 1 test
};

// How every image becomes its slot of the result: resize to `height` x `width`, then crop the window at
// (`top`, `left`) of `crop_height` x `crop_width`, `channels` planes.
struct DecodePlan {
  int64_t height = 0, width = 0;
  int64_t crop_height = 0, crop_width = 0, top = 0, left = 0;
  int64_t channels = 0;
  int64_t image_size() const { return channels * crop_height * crop_width; }
};

struct StbImage {
  void operator()(stbi_uc* p) const { stbi_image_free(p); }
};

// Decodes one file into `out` (plan.image_size() bytes, CHW); false with the reason when stb cannot.
bool decode_image(const std::string& path, const ImageHeader& header, const DecodePlan& plan, uint8_t* out,
                  std::string& problem) {
  // A colour image becoming grey is decoded as RGB and converted with our own BT.601 weights, not stb's.
  const int decoded_channels = header.colour() || plan.channels == 3 ? 3 : 1;
  int width = 0, height = 0, stored = 0;
  std::unique_ptr<stbi_uc, StbImage> decoded(stbi_load(path.c_str(), &width, &height, &stored, decoded_channels));
  if (!decoded) {
    problem = stbi_failure_reason() ? stbi_failure_reason() : "unknown error";
    return false;
  }
  const uint8_t* hwc = decoded.get();
  std::vector<uint8_t> resized;
  if (height != plan.height || width != plan.width) {
    resized.resize(static_cast<size_t>(plan.height * plan.width * decoded_channels));
    if (!stbir_resize_uint8(decoded.get(), width, height, 0, resized.data(), static_cast<int>(plan.width),
                            static_cast<int>(plan.height), 0, decoded_channels)) {
      problem = "cannot resize it";
      return false;
    }
    hwc = resized.data();
  }
  // Interleaved HWC (stb) to planar CHW (ImageSet), cropping on the way.
  ImageSet image;
  image.count = 1;
  image.channels = decoded_channels;
  image.height = plan.crop_height;
  image.width = plan.crop_width;
  image.pixels.resize(static_cast<size_t>(image.image_size()));
  for (int64_t c = 0; c < decoded_channels; ++c) {
    for (int64_t y = 0; y < plan.crop_height; ++y) {
      const uint8_t* row = hwc + ((y + plan.top) * plan.width + plan.left) * decoded_channels + c;
      uint8_t* plane_row = image.image(0) + (c * plan.crop_height + y) * plan.crop_width;
      for (int64_t x = 0; x < plan.crop_width; ++x) plane_row[x] = row[x * decoded_channels];
    }
  }
  if (decoded_channels == 3 && plan.channels == 1) image = to_grey(image);
  std::memcpy(out, image.pixels.data(), image.pixels.size());
  return true;
}

// The output shape, once every header is read; throws for mixed sizes without resize or fit and for a crop that
// does not fit.
DecodePlan plan_decoding(const std::string& dir, const ImageFolderOptions& o, const std::vector<ImageJob>& images,
                         const std::vector<const ImageHeader*>& headers) {
  DecodePlan plan;
  if (o.resize_height > 0) {
    plan.height = o.resize_height, plan.width = o.resize_width;
  } else if (o.fit_height > 0) {
    plan.height = o.fit_height, plan.width = o.fit_width;
  } else {
    plan.height = headers.front()->height, plan.width = headers.front()->width;
    for (size_t i = 1; i < headers.size(); ++i) {
      if (headers[i]->height != plan.height || headers[i]->width != plan.width) {
        throw Error(dir + ": images differ in size: " + images.front().file->path + " is " +
                    size_text(plan.height, plan.width) + ", " + images[i].file->path + " is " +
                    size_text(headers[i]->height, headers[i]->width) + "; pass --resize HxW (e.g. --resize " +
                    size_text(plan.height, plan.width) + ") to bring them to one size");
      }
    }
  }
  plan.crop_height = o.crop_height > 0 ? o.crop_height : plan.height;
  plan.crop_width = o.crop_width > 0 ? o.crop_width : plan.width;
  if (plan.crop_height > plan.height || plan.crop_width > plan.width) {
    throw Error(dir + ": crop " + size_text(plan.crop_height, plan.crop_width) + " is larger than the images (" +
                size_text(plan.height, plan.width) + " after resizing); pass a smaller --crop or a larger --resize");
  }
  // Centre crop; an odd margin leaves the extra pixel at the bottom and right.
  plan.top = (plan.height - plan.crop_height) / 2;
  plan.left = (plan.width - plan.crop_width) / 2;
  bool any_colour = false;
  for (const ImageHeader* h : headers) any_colour = any_colour || h->colour();
  plan.channels = o.channels != 0 ? o.channels : (any_colour ? 3 : 1);
  return plan;
}

void report_unreadable(const std::string& path, const std::string& problem, const ImageFolderOptions& o) {
  if (!o.skip_unreadable) {
    throw Error(path + ": cannot read this image (" + problem +
                "); replace or delete it, or pass --bad-images skip to leave it out");
  }
  std::fprintf(stderr, "warning: skipping unreadable image %s (%s)\n", path.c_str(), problem.c_str());
}

}  // namespace

std::string describe(const ImageFolderOptions& o) {
  std::string text;
  auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
  if (o.resize_height > 0) add("resize " + size_text(o.resize_height, o.resize_width));
  if (o.fit_height > 0) add("fit " + size_text(o.fit_height, o.fit_width));
  if (o.crop_height > 0) add("crop " + size_text(o.crop_height, o.crop_width));
  if (o.channels != 0) add(std::to_string(o.channels) + (o.channels == 1 ? " channel" : " channels"));
  if (o.skip_unreadable) add("skip unreadable images");
  return text.empty() ? "as stored" : text;
}

ImageFolderListing list_image_folder(const std::string& dir) {
  const fs::path root(dir);
  if (!fs::exists(root)) throw Error(dir + ": no such folder; pass the folder holding train/ and test/");
  if (!fs::is_directory(root)) {
    throw Error(dir + ": not a folder; pass the folder holding train/<class>/* and test/<class>/*");
  }
  const fs::path train_dir = existing_split_folder(root, "train");
  const fs::path test_dir = existing_split_folder(root, "test");
  ImageFolderListing listing;
  listing.dir = dir;
  try {
    listing.class_names = sorted_subfolders(train_dir);
    listing.train = list_split(train_dir, listing.class_names);
    listing.test = list_split(test_dir, listing.class_names);
  } catch (const fs::filesystem_error& e) {  // an unreadable folder, or one removed while listed
    throw Error("cannot list " + e.path1().string() + ": " + e.code().message() + "; check it is readable");
  }
  return listing;
}

void stream_image_folder(const ImageFolderListing& listing, const ImageFolderOptions& options, ImageFolderSink& sink,
                         int64_t chunk_images) {
  validate(options);
  const std::string& dir = listing.dir;
  // Both splits as one list of jobs: one pass over the cores, one progress line.
  std::vector<ImageJob> jobs;
  for (const ImageFile& f : listing.train) jobs.push_back({&f, 0});
  for (const ImageFile& f : listing.test) jobs.push_back({&f, 1});

  std::vector<ImageHeader> headers(jobs.size());
  Progress header_progress("reading headers in", dir, static_cast<int64_t>(jobs.size()));
  run_on_all_cores(
      static_cast<int64_t>(jobs.size()),
      [&](int64_t i) {
        ImageHeader& h = headers[static_cast<size_t>(i)];
        h.readable = stbi_info(jobs[static_cast<size_t>(i)].file->path.c_str(), &h.width, &h.height, &h.channels) != 0;
        if (!h.readable) h.problem = stbi_failure_reason() ? stbi_failure_reason() : "unknown error";
        const std::string& path = jobs[static_cast<size_t>(i)].file->path;
        if (h.readable && h.channels == 3 && is_bmp(path) && is_grey_palette_bmp(path)) h.channels = 1;
      },
      header_progress);
  // Refusals and warnings in file order, so they do not depend on which core got there first.
  std::vector<ImageJob> readable;
  std::vector<const ImageHeader*> readable_headers;
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (!headers[i].readable) {
      report_unreadable(jobs[i].file->path, headers[i].problem, options);
      continue;
    }
    readable.push_back(jobs[i]);
    readable_headers.push_back(&headers[i]);
  }
  if (readable.empty()) throw Error(dir + ": no readable images; every image file was skipped as unreadable");
  const DecodePlan plan = plan_decoding(dir, options, readable, readable_headers);

  ImageSet splits[2];
  int64_t max_count[2] = {0, 0};
  for (int s = 0; s < 2; ++s) {
    splits[s].channels = plan.channels;
    splits[s].height = plan.crop_height;
    splits[s].width = plan.crop_width;
    splits[s].num_classes = static_cast<int>(listing.class_names.size());
    splits[s].class_names = listing.class_names;
    splits[s].name = (fs::path(dir) / (s == 0 ? "train" : "test")).string();
  }
  for (const ImageJob& job : readable) ++max_count[job.split];
  sink.start(splits, max_count);

  // One chunk at a time: decoded on all cores into its buffer, then handed over in file order, each run of
  // decoded images of one split in one call; an image that failed to decode ends a run and is reported there.
  const int64_t n = static_cast<int64_t>(readable.size());
  const int64_t image_size = plan.image_size();
  const int64_t chunk =
      chunk_images > 0 ? chunk_images : std::clamp<int64_t>(kDecodeChunkBytes / image_size, 1, kMaxDecodeChunkImages);
  std::vector<uint8_t> pixels(static_cast<size_t>(std::min(chunk, n) * image_size));
  std::vector<int32_t> labels(static_cast<size_t>(std::min(chunk, n)));
  std::vector<std::string> problems(labels.size());
  std::vector<char> decoded(labels.size(), 0);
  int64_t count[2] = {0, 0};
  Progress decode_progress("decoding", dir, n);
  for (int64_t begin = 0; begin < n; begin += chunk) {
    const int64_t size = std::min(chunk, n - begin);
    run_on_all_cores(
        size,
        [&](int64_t i) {
          const auto k = static_cast<size_t>(begin + i);
          decoded[static_cast<size_t>(i)] =
              decode_image(readable[k].file->path, *readable_headers[k], plan, pixels.data() + i * image_size,
                           problems[static_cast<size_t>(i)]);
        },
        decode_progress, begin);
    int64_t run = 0;  // the first image of the run not yet handed over
    auto hand_over = [&](int64_t end) {
      if (end > run) {
        const int split = readable[static_cast<size_t>(begin + run)].split;
        sink.append(split, labels.data() + run, pixels.data() + run * image_size, end - run);
        count[split] += end - run;
      }
    };
    for (int64_t i = 0; i < size; ++i) {
      const ImageJob& job = readable[static_cast<size_t>(begin + i)];
      labels[static_cast<size_t>(i)] = job.file->label;
      if (!decoded[static_cast<size_t>(i)] || job.split != readable[static_cast<size_t>(begin + run)].split) {
        hand_over(i);
        run = i;
      }
      if (!decoded[static_cast<size_t>(i)]) {
        report_unreadable(job.file->path, problems[static_cast<size_t>(i)], options);
        run = i + 1;
      }
    }
    hand_over(size);
  }
  for (int s = 0; s < 2; ++s) {
    if (count[s] == 0) {
      throw Error(splits[s].name + ": no readable images; every image file in it was skipped as unreadable");
    }
  }
}

DatasetSplit read_image_folder(const std::string& dir, const ImageFolderOptions& options) {
  validate(options);  // bad options before a bad layout, as before any listing
  // Every image goes straight from the chunk buffer to its place in its split, reserved once.
  class Gather : public ImageFolderSink {
   public:
    DatasetSplit result;
    void start(const ImageSet (&splits)[2], const int64_t (&max_count)[2]) override {
      ImageSet* sets[2] = {&result.train, &result.test};
      for (int s = 0; s < 2; ++s) {
        *sets[s] = splits[s];
        sets[s]->pixels.reserve(static_cast<size_t>(max_count[s] * splits[s].image_size()));
        sets[s]->labels.reserve(static_cast<size_t>(max_count[s]));
      }
    }
    void append(int split, const int32_t* labels, const uint8_t* pixels, int64_t n) override {
      ImageSet& set = split == 0 ? result.train : result.test;
      set.pixels.insert(set.pixels.end(), pixels, pixels + n * set.image_size());
      set.labels.insert(set.labels.end(), labels, labels + n);
      set.count += n;
    }
  } gather;
  stream_image_folder(list_image_folder(dir), options, gather);
  return std::move(gather.result);
}

}  // namespace xbarcut::data
