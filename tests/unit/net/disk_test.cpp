// The pieces under the client's downloads that need no server: the disk threads, links into and out
// of the blob store, the environment's variables, and libcurl's protocol restriction in both forms.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include "net/atomic_file.hpp"
#include "net/curl_api.hpp"
#include "net/disk_worker.hpp"
#include "net/environment.hpp"
#include "support.hpp"

namespace thoth {
namespace {

TEST(DiskWorker, RunsEveryTaskBeforeStopping) {
  std::atomic<int> done{0};
  std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> off_caller{true};
  {
    net::DiskWorker disk(2);
    for (int i = 0; i < 100; ++i) {
      disk.post([&] {
        if (std::this_thread::get_id() == caller) off_caller = false;
        // A task may post another: it runs too.
        if (done.fetch_add(1) == 0) disk.post([&] { ++done; });
      });
    }
  }
  EXPECT_EQ(done.load(), 101);
  EXPECT_TRUE(off_caller.load());
}

TEST(DiskWorker, AfterStopTasksRunOnTheCaller) {
  net::DiskWorker disk(1);
  disk.stop();
  std::thread::id ran_on;
  disk.post([&] { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

ino_t inode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_ino;
}

TEST(LinkOrCopy, LinksOnOneFileSystemAndReplacesWhatWasThere) {
  test::TempDir dir;
  test::write_file(dir.path() / "blob", "content");
  const auto to = dir.path() / "a" / "b" / "file";
  ASSERT_TRUE(net::link_or_copy_atomic(dir.path() / "blob", to));
  EXPECT_EQ(inode_of(to), inode_of(dir.path() / "blob"));
  test::write_file(dir.path() / "other", "other");
  ASSERT_TRUE(net::link_or_copy_atomic(dir.path() / "other", to));
  EXPECT_EQ(test::read_file(to), "other");
  EXPECT_EQ(inode_of(to), inode_of(dir.path() / "other"));
  // Linking a file to itself changes nothing.
  ASSERT_TRUE(net::link_or_copy_atomic(dir.path() / "other", to));
  // No temporary left behind.
  std::size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(to.parent_path())) entries += e.exists();
  EXPECT_EQ(entries, 1u);
}

TEST(LinkOrCopy, CopiesAcrossFileSystems) {
  test::TempDir dir;
  struct stat tmp {}, shm {};
  if (::stat(dir.path().c_str(), &tmp) != 0 || ::stat("/dev/shm", &shm) != 0 || tmp.st_dev == shm.st_dev ||
      ::access("/dev/shm", W_OK) != 0) {
    GTEST_SKIP() << "needs a writable /dev/shm on another file system than the temporary directory";
  }
  test::write_file(dir.path() / "blob", "content");
  const std::filesystem::path to = "/dev/shm/thoth-net-link-test-" + std::to_string(::getpid());
  ASSERT_TRUE(net::link_or_copy_atomic(dir.path() / "blob", to));
  EXPECT_EQ(test::read_file(to), "content");
  EXPECT_NE(inode_of(to), inode_of(dir.path() / "blob"));
  std::filesystem::remove(to);
}

TEST(Environment, ProxiesLowerCaseFirstAndAllProxyLast) {
  net::EnvironmentProxies p = net::environment_proxies(
      {{"HTTP_PROXY", "http://upper"}, {"http_proxy", "http://lower"}, {"ALL_PROXY", "http://all"},
       {"NO_PROXY", "example.com"}, {"no_proxy", ""}});
  EXPECT_EQ(p.for_scheme("http"), "http://lower");
  EXPECT_EQ(p.for_scheme("HTTPS"), "http://all");
  EXPECT_EQ(p.no_proxy, "example.com");  // an empty value counts as unset
  EXPECT_EQ(net::environment_proxies({}).for_scheme("http"), "");
}

TEST(Environment, TemporaryDirectory) {
  EXPECT_EQ(net::temp_root({}), "/tmp");
  EXPECT_EQ(net::temp_root({{"TMPDIR", "/var/tmp"}}), "/var/tmp");
}

TEST(CurlProtocols, BothFormsOfTheOptionAreSet) {
  const net::CurlApi& curl = net::curl_api();
  EXPECT_GT(curl.version_num, 0u);
  CURL* easy = curl.easy_init();
  ASSERT_NE(easy, nullptr);
  EXPECT_EQ(net::restrict_to_http(easy, 0x075400), CURLE_OK);  // 7.84: the bitmask
  if (curl.version_num >= 0x075500) {
    EXPECT_EQ(net::restrict_to_http(easy, curl.version_num), CURLE_OK);  // from 7.85: the string form
  }
  curl.easy_cleanup(easy);
}

}  // namespace
}  // namespace thoth

namespace thoth {
namespace {

// A cache entry's bytes are read in place (ReadOnlyFile::map); if another program truncates the file
// meanwhile, the fault ends thoth with a one-line error and the index failure status, not a crash.
TEST(MappedFileDeathTest, TruncatedWhileMappedIsAnErrorNotACrash) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer handles SIGBUS itself";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  GTEST_SKIP() << "AddressSanitizer handles SIGBUS itself";
#endif
#endif
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  test::TempDir dir;
  const auto path = dir.path() / "entry";
  ASSERT_TRUE(net::write_file_atomic(path, std::string(1 << 16, 'a')));
  net::ReadOnlyFile file(path);
  auto mapped = file.map();
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->view().substr(0, 3), "aaa");
  EXPECT_EXIT(
      {
        std::filesystem::resize_file(path, 0);
        volatile char c = mapped->view()[1 << 15];
        (void)c;
      },
      testing::ExitedWithCode(3), "a cache file shrank while thoth read it");
}

}  // namespace
}  // namespace thoth
