// The dataset table. File names are the ones the original distributions use, so a user can point
// --data-dir at an unpacked download without renaming anything.
#include "data/dataset_info.hpp"

#include "common/error.hpp"
#include "data/cifar_reader.hpp"

namespace xbarcut::data {
namespace {

const std::vector<DatasetInfo>& table() {
  static const std::vector<DatasetInfo> infos = [] {
    const std::vector<std::string> idx_train = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"};
    const std::vector<std::string> idx_test = {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    DatasetInfo mnist{"mnist", DatasetFormat::Idx, {1, 28, 28}, 10,
                      {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
                      60000, 10000, idx_train, idx_test, {"mnist", "MNIST"}, "",
                      "download the four IDX files of MNIST and pass --data-dir"};
    DatasetInfo fashion{"fashion-mnist", DatasetFormat::Idx, {1, 28, 28}, 10,
                        {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                         "Ankle boot"},
                        60000, 10000, idx_train, idx_test, {"fashion-mnist", "fashion_mnist", "Fashion-MNIST"},
                        "/usr/share/datasets/fashion-mnist",
                        "install the Debian package dataset-fashion-mnist or pass --data-dir"};
    // cifar-10-batches-bin is the folder the official cifar-10-binary.tar.gz unpacks to.
    DatasetInfo cifar{"cifar10", DatasetFormat::CifarBinary, {kCifarChannels, kCifarSide, kCifarSide},
                      kCifarClasses,
                      {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"},
                      50000, 10000, cifar10_train_files(), cifar10_test_files(),
                      {"cifar10", "cifar-10", "cifar-10-batches-bin", "CIFAR-10"}, "",
                      "download the CIFAR-10 binary version (cifar-10-binary.tar.gz), unpack it and pass --data-dir"};
    // The same files read as one grey plane (to_grey): the TraNNsformer paper's MLP input of 1024.
    DatasetInfo cifar_grey = cifar;
    cifar_grey.name = "cifar10-grey";
    cifar_grey.shape = {1, kCifarSide, kCifarSide};
    // cifar-100-binary is the folder the official cifar-100-binary.tar.gz unpacks to. Both label sets come
    // from the same two files; the fine labels are CIFAR-100's 100 classes, the coarse ones its 20 superclasses.
    DatasetInfo cifar100{"cifar100", DatasetFormat::Cifar100Binary, {kCifarChannels, kCifarSide, kCifarSide},
                         kCifar100FineClasses,
                         {"apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle",
                          "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle",
                          "caterpillar", "cattle", "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch",
                          "crab", "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest", "fox",
                          "girl", "hamster", "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion",
                          "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain", "mouse", "mushroom",
                          "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
                          "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road",
                          "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake",
                          "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank",
                          "telephone", "television", "tiger", "tractor", "train", "trout", "tulip", "turtle",
                          "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm"},
                         50000, 10000, cifar100_train_files(), cifar100_test_files(),
                         {"cifar100", "cifar-100", "cifar-100-binary", "CIFAR-100"}, "",
                         "download the CIFAR-100 binary version (cifar-100-binary.tar.gz), unpack it and pass "
                         "--data-dir"};
    DatasetInfo cifar100_coarse = cifar100;
    cifar100_coarse.name = "cifar100-coarse";
    cifar100_coarse.num_classes = kCifar100CoarseClasses;
    cifar100_coarse.class_names = {"aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
                                   "household_electrical_devices", "household_furniture", "insects",
                                   "large_carnivores", "large_man-made_outdoor_things", "large_natural_outdoor_scenes",
                                   "large_omnivores_and_herbivores", "medium_mammals", "non-insect_invertebrates",
                                   "people", "reptiles", "small_mammals", "trees", "vehicles_1", "vehicles_2"};
    return std::vector<DatasetInfo>{mnist, fashion, cifar, cifar_grey, cifar100, cifar100_coarse};
  }();
  return infos;
}

}  // namespace

std::vector<std::string> dataset_names() {
  std::vector<std::string> names;
  for (const DatasetInfo& info : table()) names.push_back(info.name);
  return names;
}

std::string dataset_names_joined() {
  std::string joined;
  for (const std::string& name : dataset_names()) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

const DatasetInfo& dataset_info(const std::string& name) {
  for (const DatasetInfo& info : table()) {
    if (info.name == name) return info;
  }
  throw Error("unknown dataset '" + name + "': valid names are " + dataset_names_joined());
}

int num_classes(const std::string& name) { return dataset_info(name).num_classes; }

InputShape input_shape(const std::string& name) { return dataset_info(name).shape; }

}  // namespace xbarcut::data
