// Reader for the user's own images laid out as torchvision's ImageFolder expects, one folder per class:
// DIR/train/<class>/*.png|jpg|jpeg|bmp and DIR/test/<class>/*. Classes are the train subfolders in byte order,
// so the same folder always gives the same labels, here and in PyTorch.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset_locator.hpp"
#include "data/image_set.hpp"

namespace xbarcut::data {

struct ImageFolderOptions {
  // 0 = no resize; else every image is resized to exactly this (stb's default filter); one already that size is
  // copied untouched.
  int64_t resize_height = 0, resize_width = 0;
  // Used only when resize is 0: images not of this size are resized to it instead of being refused (the command
  // line fills it with a checkpoint's input size).
  int64_t fit_height = 0, fit_width = 0;
  // 0 = no crop; else the centre crop after resizing, which must fit inside the resized image.
  int64_t crop_height = 0, crop_width = 0;
  // 0 = 3 if any image of either split is stored in colour, else 1; 1 = grey (BT.601 luma, as to_grey);
  // 3 = RGB (grey images replicated). Alpha is always dropped.
  int64_t channels = 0;
  // An unreadable image: false stops with an error naming it; true warns on stderr and leaves it out.
  bool skip_unreadable = false;
};

// The options as short text, defaults left out ("as stored" when all are defaults): messages and cache keys.
std::string describe(const ImageFolderOptions& options);

// One image file of a folder and the label of its class folder.
struct ImageFile {
  std::string path;
  int32_t label = 0;
};

// The files an image folder holds, before any is decoded: what the cache key is made of.
struct ImageFolderListing {
  std::string dir;
  std::vector<std::string> class_names;  // the train subfolders, sorted
  std::vector<ImageFile> train, test;    // each in class order, then in sorted path order within the class
};

// Checks the layout (DIR, train/ and test/, class folders, no empty class, no class only in test) and lists the
// image files. Hidden files and folders (".name") are ignored. Throws a one-line Error for each problem.
ImageFolderListing list_image_folder(const std::string& dir);

// Both splits, decoded on all cores: CHW uint8 pixels, labels, class_names, name = DIR/train and DIR/test.
// Throws a one-line Error for a bad layout, bad options, an unreadable image (unless skipped), images of mixed
// sizes without resize or fit, a crop larger than the image, or no images left.
DatasetSplit read_image_folder(const std::string& dir, const ImageFolderOptions& options);

// Where stream_image_folder hands the decoded images: read_image_folder gathers them in memory, the dataset cache
// appends them to its files.
class ImageFolderSink {
 public:
  virtual ~ImageFolderSink() = default;
  // Once, before any pixel, when every header is read and every refusal made: each split (0 train, 1 test) as
  // read_image_folder returns it but empty (count 0, no pixels or labels), and how many images it may receive:
  // those whose header was readable. Fewer come when some of them then fail to decode and are skipped.
  virtual void start(const ImageSet (&splits)[2], const int64_t (&max_count)[2]) = 0;
  // The next n images of one split, in file order: n labels and n * image_size() bytes of CHW pixels, valid only
  // during the call.
  virtual void append(int split, const int32_t* labels, const uint8_t* pixels, int64_t n) = 0;
};

// The default number of images decoded at a time: as many as fit in kDecodeChunkBytes, at least 1, at most
// kMaxDecodeChunkImages.
constexpr int64_t kMaxDecodeChunkImages = 2048;
constexpr int64_t kDecodeChunkBytes = int64_t{64} << 20;

// read_image_folder without holding the images: the listed files are decoded `chunk_images` at a time (0: the
// default above), each chunk on all cores, and handed to `sink` in file order, train then test, so only a chunk
// of pixels is ever held here. Throws what read_image_folder throws, with the same messages and warnings in the
// same order; an image that fails to decode is reported when its chunk is done, once the earlier images were
// handed over. The "no readable images" check of each split comes last, after every image was handed over.
void stream_image_folder(const ImageFolderListing& listing, const ImageFolderOptions& options, ImageFolderSink& sink,
                         int64_t chunk_images = 0);

}  // namespace xbarcut::data
