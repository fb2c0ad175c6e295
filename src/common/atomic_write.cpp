#include "common/atomic_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "common/error.hpp"

namespace xbarcut {

void write_atomically(const std::string& path, const std::string& what,
                      const std::function<void(const std::string& tmp)>& write) {
  const auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  const std::string tmp = path + ".tmp";
  try {
    write(tmp);
    // On disk before the rename, so a crash right after it cannot leave an empty file under the final name.
    const int fd = ::open(tmp.c_str(), O_RDONLY);
    const bool synced = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!synced) throw std::runtime_error("fsync");
  } catch (const std::exception&) {
    std::remove(tmp.c_str());
    throw Error("cannot write " + what + " " + path + ": check the directory is writable and the disk not full");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw Error("cannot move " + tmp + " to " + path + ": " + ec.message());
  }
}

}  // namespace xbarcut
