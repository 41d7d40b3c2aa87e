// pylock.toml against the PEP 751 specification: key order as the spec lists them, inline file tables,
// UTC upload times, required hashes; and that the text is valid TOML (read back by toml++).
#include <gtest/gtest.h>

#include <algorithm>

#include "fixtures.hpp"

namespace thoth {
namespace {

using namespace lock_test;

TEST(PylockWriter, SpecLayout) {
  Resolution r = sample_resolution();
  r.pins = {r.pins[0], r.pins[1]};  // certbundle, httpkit
  LockContext c = sample_context();
  c.source_urls = {"https://pypi.example/simple/"};
  const std::string url = "https://files.example/";
  EXPECT_EQ(write_pylock(r, c),
            "lock-version = '1.0'\n"
            "environments = ['python_version == \"3.11\" and implementation_name == \"cpython\" and "
            "sys_platform == \"linux\" and platform_machine == \"x86_64\"']\n"
            "requires-python = '==3.11.*'\n"
            "created-by = 'thoth'\n"
            "\n"
            "[[packages]]\n"
            "name = 'certbundle'\n"
            "version = '2024.2.2'\n"
            "index = 'https://pypi.example/simple/'\n"
            "wheels = [\n"
            "    {name = 'certbundle-2024.2.2-py3-none-any.whl', url = '" + url +
                "certbundle-2024.2.2-py3-none-any.whl', hashes = {sha256 = '" + hex('c') + "'}},\n"
            "]\n"
            "\n"
            "[[packages]]\n"
            "name = 'httpkit'\n"
            "version = '2.1.1'\n"
            "requires-python = '>=3.8'\n"
            "dependencies = [\n"
            "    {name = 'certbundle'},\n"
            "]\n"
            "index = 'https://pypi.example/simple/'\n"
            "sdist = {name = 'httpkit-2.1.1.tar.gz', url = '" + url + "httpkit-2.1.1.tar.gz', hashes = {sha256 = '" +
                hex('a') + "'}}\n"
            "wheels = [\n"
            "    {name = 'httpkit-2.1.1-py3-none-any.whl', upload-time = 2024-02-01T10:00:00.123456Z, url = '" + url +
                "httpkit-2.1.1-py3-none-any.whl', size = 1234, hashes = {sha256 = '" + hex('b') + "'}},\n"
            "]\n");
}

// No index password goes into a lock: neither in "index" nor in the file URLs joined from it.
TEST(PylockWriter, IndexCredentialsAreNotWritten) {
  Resolution r = sample_resolution();
  r.pins = {r.pins[0]};
  for (DistFile& f : r.pins[0].files) f.url = "https://user:s3cret@files.example/" + f.filename;
  LockContext c = sample_context();
  c.source_urls = {"https://user:s3cret@pypi.example/simple/"};
  const std::string out = write_pylock(r, c);
  EXPECT_EQ(out.find("s3cret"), std::string::npos) << out;
  EXPECT_NE(out.find("index = 'https://pypi.example/simple/'"), std::string::npos) << out;
  EXPECT_NE(out.find("url = 'https://files.example/certbundle-2024.2.2-py3-none-any.whl'"), std::string::npos) << out;
}

TEST(PylockWriter, MetadataRequiresPythonWinsAndDependenciesAreSortedPinnedNames) {
  Resolution r = sample_resolution();
  LockContext c = sample_context();
  c.metadata["httpkit"] = std::make_shared<const CoreMetadata>(CoreMetadata::parse("Metadata-Version: 2.1\nName: httpkit\nVersion: 2.1.1\nRequires-Python: >=3.7\n"));
  std::string out = write_pylock(r, c);
  EXPECT_NE(out.find("name = 'httpkit'\nversion = '2.1.1'\nrequires-python = '>=3.7'\n"
                     "dependencies = [\n    {name = 'certbundle'},\n    {name = 'pysocks-lite'},\n]\n"),
            std::string::npos)
      << out;
  // webapp-kit's test extra dependency is not pinned, so it is not listed.
  EXPECT_NE(out.find("name = 'webapp-kit'\nversion = '1.1.0'\ndependencies = [\n    {name = 'httpkit'},\n"
                     "    {name = 'markupsafe-lite'},\n]\n"),
            std::string::npos)
      << out;
}

TEST(PylockWriter, HashesAreRequired) {
  Resolution r = sample_resolution();
  r.pins[2].files[0].hashes.clear();
  EXPECT_THROW(write_pylock(r, sample_context()), LockError);
}

TEST(PylockWriter, DirectArchiveAndSourceTree) {
  Resolution r = sample_resolution();
  r.pins[0].direct_url = "https://files.example/certbundle-2024.2.2-py3-none-any.whl#sha256=" + hex('c');
  r.pins[0].files[0].size = 99;
  Pin local = pin("localpkg", "0.1", {}, {});
  local.direct_url = "file:///src/local%20pkg";
  r.pins.push_back(local);
  LockContext c = sample_context();
  UserRequirement editable;
  editable.requirement = Requirement::parse("localpkg");
  editable.link = "/src/local pkg";
  editable.editable = true;
  c.requirements.push_back(editable);
  std::string out = write_pylock(r, c);
  EXPECT_NE(out.find("name = 'certbundle'\nversion = '2024.2.2'\narchive = {url = "
                     "'https://files.example/certbundle-2024.2.2-py3-none-any.whl', size = 99, hashes = {sha256 = '" +
                     hex('c') + "'}}\n"),
            std::string::npos)
      << out;
  // A source tree has no version (spec "packages.version").
  EXPECT_NE(out.find("[[packages]]\nname = 'localpkg'\ndirectory = {path = '/src/local pkg', editable = true}\n"),
            std::string::npos)
      << out;
}

// PEP 751 "packages.archive.url", like PEP 610's direct_url.json: without the user's password.
TEST(PylockWriter, DirectArchiveCredentialsAreNotWritten) {
  Resolution r = sample_resolution();
  r.pins = {r.pins[0]};
  r.pins[0].direct_url = "https://user:s3cret@files.example/certbundle-2024.2.2-py3-none-any.whl#sha256=" + hex('c');
  const std::string out = write_pylock(r, sample_context());
  EXPECT_EQ(out.find("s3cret"), std::string::npos) << out;
  EXPECT_NE(out.find("archive = {url = 'https://files.example/certbundle-2024.2.2-py3-none-any.whl'"),
            std::string::npos)
      << out;
}

TEST(PylockWriter, OutputIsTomlReadBackAndDeterministic) {
  Resolution r = sample_resolution();
  r.pins[1].files[1].url = "https://files.example/it's \"quoted\".tar.gz";
  Resolution shuffled = r;
  std::reverse(shuffled.pins.begin(), shuffled.pins.end());
  LockContext c = sample_context();
  std::string out = write_pylock(r, c);
  EXPECT_EQ(out, write_pylock(shuffled, c));
  Lock lock = read_pylock(out, "pylock.toml");
  ASSERT_EQ(lock.packages.size(), 5u);
  const LockedPackage* httpkit = lock.find("httpkit");
  ASSERT_NE(httpkit, nullptr);
  ASSERT_EQ(httpkit->files.size(), 2u);
  EXPECT_EQ(httpkit->files[1].url, "https://files.example/it's \"quoted\".tar.gz");
  EXPECT_EQ(httpkit->files[0].upload_time, "2024-02-01T10:00:00.123456Z");
}

}  // namespace
}  // namespace thoth
