// The output folder is claimed before any work: empty paths, files, unwritable folders and a folder another
// process holds are refused with one line; the same process may claim it again.
#include "common/output_folder.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/error.hpp"

namespace xbarcut {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("xbarcut_out_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
};

std::string error_of(const std::string& dir) {
  try {
    claim_output_folder(dir);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// A child process that claims `dir` and holds it until release() (or the end of the test). Forked before this
// process claims anything, so it shares none of our locks.
class ChildHolder {
 public:
  explicit ChildHolder(const std::string& dir) {
    int ready[2], release[2];
    if (::pipe(ready) != 0 || ::pipe(release) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ready[0]);
      ::close(release[1]);
      const std::string message = error_of(dir);
      const char status = message.empty() ? 'y' : 'n';
      [[maybe_unused]] const ssize_t w = ::write(ready[1], &status, 1);
      char c;
      [[maybe_unused]] const ssize_t r = ::read(release[0], &c, 1);  // returns when the parent closes its end
      ::_exit(0);
    }
    ::close(ready[1]);
    ::close(release[0]);
    release_fd_ = release[1];
    char status = 'n';
    claimed_ = ::read(ready[0], &status, 1) == 1 && status == 'y';
    ::close(ready[0]);
  }
  ~ChildHolder() { release(); }
  void release() {
    if (release_fd_ < 0) return;
    ::close(release_fd_);
    release_fd_ = -1;
    ::waitpid(pid_, nullptr, 0);
  }
  bool claimed() const { return claimed_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int release_fd_ = -1;
  bool claimed_ = false;
};

TEST(OutputFolder, CreatesTheFolderAndASecondClaimInTheSameProcessIsANoOp) {
  TempDir t;
  const std::string dir = (t.path / "a" / "b").string();
  EXPECT_EQ(error_of(dir), "");
  EXPECT_TRUE(fs::is_directory(dir));
  EXPECT_EQ(error_of(dir), "");
  EXPECT_EQ(error_of(dir + "/"), "");  // the same folder, spelt differently
}

TEST(OutputFolder, AFolderAnotherProcessHoldsIsRefusedWithItsPidAndFreedWhenItEnds) {
  TempDir t;
  const std::string dir = t.path.string();
  ChildHolder child(dir);
  ASSERT_TRUE(child.claimed());
  const std::string message = error_of(dir);
  EXPECT_NE(message.find("in use by another xbarcut run (pid " + std::to_string(child.pid()) + ")"),
            std::string::npos)
      << message;
  child.release();  // its lock goes with it
  EXPECT_EQ(error_of(dir), "");
}

TEST(OutputFolder, AFailedRunLeavesNoFolderItCreatedButKeepsResultsAndFoldersThatWereThere) {
  TempDir t;
  fs::create_directories(t.path / "existing");
  const fs::path created = t.path / "new" / "deeper";
  const fs::path with_result = t.path / "result";
  ASSERT_EQ(error_of(created.string()), "");
  ASSERT_EQ(error_of((t.path / "existing").string()), "");
  ASSERT_EQ(error_of(with_result.string()), "");
  std::ofstream(with_result / "model.pt") << "x";
  release_unused_output_folders();
  EXPECT_FALSE(fs::exists(t.path / "new"));  // both levels the claim created
  EXPECT_TRUE(fs::is_directory(t.path / "existing"));
  EXPECT_FALSE(fs::exists(t.path / "existing" / ".xbarcut.lock"));
  EXPECT_TRUE(fs::exists(with_result / "model.pt"));
}

TEST(OutputFolder, EmptyPathsAndFilesAreRefused) {
  TempDir t;
  EXPECT_NE(error_of("").find("--out is empty"), std::string::npos);
  fs::create_directories(t.path);
  std::ofstream(t.path / "file") << "x";
  EXPECT_NE(error_of((t.path / "file").string()).find("is a file, not a folder"), std::string::npos);
  EXPECT_NE(error_of((t.path / "file" / "sub").string()).find("cannot create the output folder"), std::string::npos);
}

TEST(OutputFolder, AnUnwritableFolderIsRefused) {
  TempDir t;
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into any folder";
  fs::create_directories(t.path / "ro");
  fs::permissions(t.path / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_NE(error_of((t.path / "ro").string()).find("is not writable"), std::string::npos);
}

}  // namespace
}  // namespace xbarcut
