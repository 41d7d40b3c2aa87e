// All or nothing: failures part-way leave the environment byte-identical; an interrupted transaction
// is rolled back by the next one; files are linked, cloned or copied from the cache.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "install/link.hpp"
#include "unit/install/wheel_builder.hpp"

namespace thoth {
namespace {

using namespace install_test;

class TransactionTest : public FakeEnvironmentTest {
 protected:
  // An installed "demo" 1.0 plus an unrelated file, the state every failure must leave untouched.
  void SetUp() override {
    WheelSpec old_spec;
    old_spec.files = {{"demo/__init__.py", "old\n"}, {"demo/only_old.py", "x\n"}};
    old_spec.entry_points = "[console_scripts]\ndemo = demo:main\n";
    install_wheels(env, {wheel_input(write_wheel(wheels.path, old_spec))}, options);
    write_text(env.scheme.purelib / "unrelated.py", "mine\n");
    before = snapshot(root.path);
  }

  WheelSpec upgrade_spec(const std::string& name = "demo") const {
    WheelSpec spec;
    spec.name = name;
    spec.version = "2.0";
    spec.files = {{name + "/__init__.py", "new\n"}, {name + "/more/deep.py", "d\n"}, {"unrelated.py", "overwritten\n"}};
    spec.entry_points = "[console_scripts]\n" + name + "-two = " + name + ":main\n";
    return spec;
  }

  std::map<std::string, std::string> before;
};

TEST_F(TransactionTest, WrongWheelHashChangesNothing) {
  WheelToInstall wheel = wheel_input(write_wheel(wheels.path, upgrade_spec()));
  wheel.sha256 = std::string(64, 'a');
  try {
    install_wheels(env, {wheel}, options);
    FAIL() << "installed a wheel with the wrong hash";
  } catch (const InstallError& e) {
    EXPECT_NE(std::string(e.what()).find("demo-2.0-py3-none-any.whl: its sha256 is"), std::string::npos) << e.what();
  }
  EXPECT_EQ(snapshot(root.path), before);
}

TEST_F(TransactionTest, RecordMismatchOrUnlistedMemberIsRefused) {
  WheelSpec bad = upgrade_spec();
  bad.record_overrides["demo/__init__.py"] = "demo/__init__.py,sha256=AAAA,4";
  EXPECT_THROW(install_wheels(env, {wheel_input(write_wheel(wheels.path, bad))}, options), InstallError);
  WheelSpec unlisted = upgrade_spec();
  unlisted.unlisted = {"demo/more/deep.py"};
  try {
    install_wheels(env, {wheel_input(write_wheel(wheels.path, unlisted))}, options);
    FAIL();
  } catch (const InstallError& e) {
    EXPECT_NE(std::string(e.what()).find("demo/more/deep.py is not listed in RECORD"), std::string::npos) << e.what();
  }
  WheelSpec weak = upgrade_spec();
  weak.record_overrides["demo/__init__.py"] = "demo/__init__.py,md5=AAAA,4";
  EXPECT_THROW(install_wheels(env, {wheel_input(write_wheel(wheels.path, weak))}, options), InstallError);
  EXPECT_EQ(snapshot(root.path), before);
}

TEST_F(TransactionTest, CorruptMemberAmongGoodWheelsChangesNothing) {
  std::filesystem::path good = write_wheel(wheels.path, upgrade_spec("other"));
  std::filesystem::path bad = write_wheel(wheels.path, upgrade_spec());
  std::string bytes = read_text(bad);
  std::size_t at = bytes.find("new\n");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 'N';  // the member no longer matches its RECORD hash (nor its CRC, not checked then)
  write_text(bad, bytes);
  try {
    install_wheels(env, {wheel_input(good), wheel_input(bad)}, options);
    FAIL();
  } catch (const InstallError& e) {
    EXPECT_NE(std::string(e.what()).find("does not match its RECORD hash"), std::string::npos) << e.what();
  }
  EXPECT_EQ(snapshot(root.path), before);
}

TEST_F(TransactionTest, UnsafeMemberPathIsRefused) {
  WheelSpec evil = upgrade_spec();
  evil.files.push_back({"../escape.py", "x"});
  EXPECT_THROW(install_wheels(env, {wheel_input(write_wheel(wheels.path, evil))}, options), InstallError);
  EXPECT_FALSE(std::filesystem::exists(root.path.parent_path() / "escape.py"));
  EXPECT_EQ(snapshot(root.path), before);
}

TEST_F(TransactionTest, NewerWheelVersionWarnsAndNewerMajorFails) {
  WheelSpec minor = upgrade_spec();
  minor.wheel_version = "1.9";
  InstallReport report = install_wheels(env, {wheel_input(write_wheel(wheels.path, minor))}, options);
  ASSERT_FALSE(report.warnings.empty());
  EXPECT_NE(report.warnings[0].find("Wheel-Version 1.9"), std::string::npos);
  WheelSpec major = upgrade_spec("third");
  major.wheel_version = "2.0";
  EXPECT_THROW(install_wheels(env, {wheel_input(write_wheel(wheels.path, major))}, options), InstallError);
}

// A write failing part-way (a full disk), after the old version was moved aside and some new files
// were placed.
TEST_F(TransactionTest, FailingWritePartWayRestoresEverything) {
  for (int fail_at : {1, 4, 9}) {
    int placed = 0;
    options.before_place = [&](const std::filesystem::path& p) {
      if (++placed == fail_at) throw InstallError("cannot write " + p.string() + ": No space left on device");
    };
    options.jobs = 1;
    EXPECT_THROW(install_wheels(env, {wheel_input(write_wheel(wheels.path, upgrade_spec()))}, options), InstallError)
        << fail_at;
    EXPECT_EQ(snapshot(root.path), before) << "failing at file " << fail_at;
  }
}

// A directory even root cannot write to: the immutable attribute (chattr +i).
TEST_F(TransactionTest, UnwritableDirectoryRestoresEverything) {
  int fd = ::open(env.scheme.scripts.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  int flags = 0;
  if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0 || (flags |= FS_IMMUTABLE_FL, ::ioctl(fd, FS_IOC_SETFLAGS, &flags)) != 0) {
    ::close(fd);
    if (::geteuid() != 0) {
      ::chmod(env.scheme.scripts.c_str(), 0555);
    } else {
      GTEST_SKIP() << "no immutable attribute on this file system";
    }
  }
  try {
    install_wheels(env, {wheel_input(write_wheel(wheels.path, upgrade_spec()))}, options);
    ADD_FAILURE() << "installed into an unwritable directory";
  } catch (const InstallError& e) {
    EXPECT_NE(std::string(e.what()).find(env.scheme.scripts.string()), std::string::npos) << e.what();
  }
  if (fd >= 0) {
    flags &= ~FS_IMMUTABLE_FL;
    ::ioctl(fd, FS_IOC_SETFLAGS, &flags);
    ::close(fd);
  }
  ::chmod(env.scheme.scripts.c_str(), 0755);
  EXPECT_EQ(snapshot(root.path), before);
}

// A process killed in the middle of placing files leaves a journal; the next transaction rolls back.
TEST_F(TransactionTest, InterruptedTransactionIsRolledBackByTheNextRun) {
  std::filesystem::path wheel = write_wheel(wheels.path, upgrade_spec());
  options.durable_journal = true;
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int placed = 0;
    options.jobs = 1;
    options.before_place = [&](const std::filesystem::path&) {
      if (++placed == 3) ::_exit(0);
    };
    try {
      install_wheels(env, {wheel_input(wheel)}, options);
    } catch (...) {
    }
    ::_exit(1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_TRUE(std::filesystem::exists(env.scheme.purelib / ".thoth-transaction" / "journal"));
  ASSERT_NE(snapshot(root.path), before);
  std::optional<std::string> note = recover_interrupted(env);
  ASSERT_TRUE(note);
  EXPECT_NE(note->find("rolled back"), std::string::npos);
  EXPECT_EQ(snapshot(root.path), before);
  EXPECT_FALSE(recover_interrupted(env));
}

TEST_F(TransactionTest, CommittedButUnfinishedTransactionIsFinished) {
  std::filesystem::path dir = env.scheme.purelib / ".thoth-transaction";
  write_text(dir / "backup" / "0", "old bytes");
  write_text(dir / "journal", "thoth-install-journal 1\nmoved\t" + (env.scheme.purelib / "gone.py").string() + "\t" +
                                  (dir / "backup" / "0").string() + "\ncommit\n");
  Transaction t(env, options);  // recovers on construction
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_FALSE(std::filesystem::exists(env.scheme.purelib / "gone.py"));
}

TEST_F(TransactionTest, RemovingAndInstallingInOneTransaction) {
  Transaction t(env, options);
  t.remove("demo");
  t.add(wheel_input(write_wheel(wheels.path, upgrade_spec("other"))));
  EXPECT_THROW(t.remove("not-installed"), InstallError);
  InstallReport report = t.commit();
  EXPECT_EQ(report.removed.size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(env.scheme.purelib / "demo"));
  EXPECT_TRUE(std::filesystem::exists(env.scheme.purelib / "other" / "more" / "deep.py"));
}

TEST_F(TransactionTest, ManyWheelsInParallel) {
  options.jobs = 2;
  Transaction t(env, options);
  for (int i = 0; i < 12; ++i) t.add(wheel_input(write_wheel(wheels.path, upgrade_spec("pkg" + std::to_string(i)))));
  InstallReport report = t.commit();
  ASSERT_EQ(report.installed.size(), 12u);
  EXPECT_EQ(report.installed[0].name, "pkg0");
  EXPECT_EQ(report.installed[11].name, "pkg9");  // sorted by name
  EXPECT_EQ(scan_installed(env).distributions.size(), 13u);
}

TEST_F(TransactionTest, HardlinksFromACacheOnTheSameFileSystem) {
  InstallReport report = install_wheels(env, {wheel_input(write_wheel(wheels.path, upgrade_spec("linked")))}, options);
  struct stat st {};
  ASSERT_EQ(::stat((env.scheme.purelib / "linked" / "more" / "deep.py").c_str(), &st), 0);
  EXPECT_EQ(report.link_mode, LinkMode::Hardlink);
  EXPECT_EQ(st.st_nlink, 2u);
  // Generated files are written, never linked.
  ASSERT_EQ(::stat((env.scheme.scripts / "linked-two").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 1u);
}

TEST_F(TransactionTest, CopiesWhenAsked) {
  options.link_mode = LinkMode::Copy;
  WheelSpec spec = upgrade_spec("copied");
  std::string big(3 << 20, 'x');  // copied in the kernel (copy_file_range), the small ones through a buffer
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + i % 26);
  spec.files.push_back({"copied/big.bin", big});
  InstallReport report = install_wheels(env, {wheel_input(write_wheel(wheels.path, spec))}, options);
  EXPECT_EQ(read_text(env.scheme.purelib / "copied" / "big.bin"), big);
  EXPECT_EQ(read_text(env.scheme.purelib / "copied" / "more" / "deep.py"), "d\n");
  struct stat st {};
  ASSERT_EQ(::stat((env.scheme.purelib / "copied" / "more" / "deep.py").c_str(), &st), 0);
  EXPECT_EQ(report.link_mode, LinkMode::Copy);
  EXPECT_EQ(st.st_nlink, 1u);
  EXPECT_GT(report.copied_files, 0u);
}

TEST(LinkerTest, ProbesOncePerFileSystemPair) {
  TempDir a{"a"}, b{"b"};
  install_detail::Linker linker(LinkMode::Auto);
  EXPECT_EQ(linker.mode_for(a.path, b.path), install_detail::Placement::Hardlink);
  // tmpfs is another file system: hard links cannot cross, nor can reflinks.
  if (std::filesystem::is_directory("/dev/shm")) {
    TempDir c{"c"};
    std::string pattern = "/dev/shm/thoth-install-XXXXXX";
    std::filesystem::path shm = ::mkdtemp(pattern.data());
    EXPECT_EQ(linker.mode_for(a.path, shm), install_detail::Placement::Copy);
    write_text(a.path / "f", "content");
    install_detail::DirectoryFds dirs;
    EXPECT_EQ(linker.place(a.path / "f", shm / "f", false, false, dirs), install_detail::Placement::Copy);
    EXPECT_EQ(read_text(shm / "f"), "content");
    std::filesystem::remove_all(shm);
  }
  install_detail::Linker copying(LinkMode::Copy);
  EXPECT_EQ(copying.mode_for(a.path, b.path), install_detail::Placement::Copy);
}

TEST(DirectoryFdsTest, SplitsPathsAndFallsBackToThemWhole) {
  TempDir a{"a"};
  std::filesystem::create_directories(a.path / "x" / "y");
  install_detail::DirectoryFds dirs;
  const std::string file = (a.path / "x" / "y" / "f").string();
  auto [fd, name] = dirs.split(file);
  EXPECT_NE(fd, AT_FDCWD);
  EXPECT_STREQ(name, "f");
  EXPECT_EQ(dirs.split(file).first, fd);  // opened once
  const std::string missing = (a.path / "nope" / "f").string();
  EXPECT_EQ(dirs.split(missing), std::make_pair(AT_FDCWD, missing.c_str()));
}

TEST(TreeWriterTest, MakesDirectoriesOnceAndRemovesUnfinishedFiles) {
  TempDir a{"a"};
  {
    install_detail::TreeWriter tree(a.path / "root");
    for (int i = 0; i < 100; ++i) {  // more directories than descriptors kept open
      install_detail::NewFile f = tree.create("d" + std::to_string(i % 70) + "/sub/f" + std::to_string(i), i == 0);
      f.write("content");
      f.finish();
    }
    install_detail::NewFile dropped = tree.create("d1/sub/unfinished", false);
    dropped.write("part");
  }
  EXPECT_EQ(read_text(a.path / "root" / "d69" / "sub" / "f69"), "content");
  EXPECT_TRUE(std::filesystem::exists(a.path / "root" / "d0" / "sub" / "f0"));
  EXPECT_FALSE(std::filesystem::exists(a.path / "root" / "d1" / "sub" / "unfinished"));
  EXPECT_THROW(install_detail::TreeWriter(a.path / "root").create("d0/sub/f0", false), InstallError);  // exists
}

}  // namespace
}  // namespace thoth
