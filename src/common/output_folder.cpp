#include "common/output_folder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "common/error.hpp"

namespace xbarcut {
namespace {

namespace fs = std::filesystem;

// The pid recorded by the run holding the lock, or "unknown" when it wrote none (yet).
std::string holder_of(const std::string& lock_path) {
  std::ifstream in(lock_path);
  std::string pid;
  return (in >> pid) ? pid : "unknown";
}

constexpr const char* kLockName = ".xbarcut.lock";

// The folders this process claimed, each with the outermost folder the claim created (empty when it existed).
// The lock descriptors stay open (and the locks held) until the process exits.
std::mutex claims_mutex;
std::map<std::string, fs::path> claims;

// The outermost folder of `path` that does not exist yet (empty when `path` exists).
fs::path first_missing(const fs::path& path) {
  std::error_code ec;
  fs::path missing;
  for (fs::path p = path; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing = p;
    if (p == p.parent_path()) break;
  }
  return missing;
}

}  // namespace

void claim_output_folder(const std::string& dir, const std::string& flag) {
  if (dir.empty()) throw Error(flag + " is empty: give the folder to write the results into");
  std::error_code ec;
  fs::path path = fs::weakly_canonical(fs::absolute(dir, ec), ec);  // one name per folder: "a/b/", "a/./b", links
  if (path.filename().empty()) path = path.parent_path();
  const std::lock_guard<std::mutex> guard(claims_mutex);
  if (claims.count(path.string())) return;

  if (fs::exists(path, ec) && !fs::is_directory(path, ec))
    throw Error(flag + " " + dir + " is a file, not a folder: give a folder to write the results into");
  const fs::path created = first_missing(path);
  fs::create_directories(path, ec);
  if (ec) throw Error("cannot create the output folder " + dir + ": " + ec.message() + "; give a writable " + flag);

  const std::string lock_path = (path / kLockName).string();
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error("the output folder " + dir + " is not writable (" + std::strerror(errno) + "); give a writable " +
                flag);
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      throw Error("the output folder " + dir + " is in use by another xbarcut run (pid " + holder_of(lock_path) +
                  "); wait for it to finish or give another " + flag);
    }
    throw Error("cannot lock the output folder " + dir + ": " + std::strerror(err));
  }
  // Our pid for the message a second run prints; a failure here (a full disk) does not matter for the lock.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
  }
  claims.emplace(path.string(), created);
}

void release_unused_output_folders() {
  const std::lock_guard<std::mutex> guard(claims_mutex);
  for (const auto& [dir, created] : claims) {
    std::error_code ec;
    const fs::path path(dir);
    bool only_lock = true;
    for (const auto& entry : fs::directory_iterator(path, ec)) only_lock = only_lock && entry.path().filename() == kLockName;
    if (ec || !only_lock) continue;
    fs::remove(path / kLockName, ec);
    if (created.empty()) continue;  // the folder was there before the run: keep it
    for (fs::path p = path; fs::is_empty(p, ec) && fs::remove(p, ec); p = p.parent_path()) {
      if (p == created) break;
    }
  }
}

}  // namespace xbarcut
