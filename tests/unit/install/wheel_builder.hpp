// Test support for the installer: wheels written in the tests (a stored-only zip writer: zlib's
// crc32 is all it needs), environments laid out in temporary directories, and snapshots of every
// file with its hash to prove that a failed install changed nothing.
#pragma once

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "thoth/hash.hpp"
#include "thoth/install.hpp"

namespace thoth::install_test {

// A directory removed with everything in it when the test ends.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& tag = "t") {
    std::string pattern = (std::filesystem::temp_directory_path() / ("thoth-install-" + tag + "-XXXXXX")).string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_text(const std::filesystem::path& p, std::string_view text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

struct ZipMember {
  std::string name;
  std::string data;
  std::uint32_t mode = 0100644;  // Unix mode in the external attributes
};

// A zip file with stored (uncompressed) members (APPNOTE 4.3.7, 4.3.12, 4.3.16).
inline std::string make_zip(const std::vector<ZipMember>& members) {
  std::string out, central;
  auto u16 = [](std::string& s, std::uint16_t v) { s += static_cast<char>(v & 0xff), s += static_cast<char>(v >> 8); };
  auto u32 = [&](std::string& s, std::uint32_t v) { u16(s, static_cast<std::uint16_t>(v & 0xffff)), u16(s, static_cast<std::uint16_t>(v >> 16)); };
  for (const ZipMember& m : members) {
    auto crc = static_cast<std::uint32_t>(::crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size())));
    std::uint32_t offset = static_cast<std::uint32_t>(out.size());
    u32(out, 0x04034b50), u16(out, 20), u16(out, 0), u16(out, 0), u16(out, 0), u16(out, 0x21);
    u32(out, crc), u32(out, static_cast<std::uint32_t>(m.data.size())), u32(out, static_cast<std::uint32_t>(m.data.size()));
    u16(out, static_cast<std::uint16_t>(m.name.size())), u16(out, 0);
    out += m.name;
    out += m.data;
    u32(central, 0x02014b50), u16(central, 0x031e), u16(central, 20), u16(central, 0), u16(central, 0);
    u16(central, 0), u16(central, 0x21), u32(central, crc);
    u32(central, static_cast<std::uint32_t>(m.data.size())), u32(central, static_cast<std::uint32_t>(m.data.size()));
    u16(central, static_cast<std::uint16_t>(m.name.size())), u16(central, 0), u16(central, 0), u16(central, 0), u16(central, 0);
    u32(central, m.mode << 16), u32(central, offset);
    central += m.name;
  }
  std::uint32_t cd_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  u32(out, 0x06054b50), u16(out, 0), u16(out, 0), u16(out, static_cast<std::uint16_t>(members.size()));
  u16(out, static_cast<std::uint16_t>(members.size())), u32(out, static_cast<std::uint32_t>(central.size()));
  u32(out, cd_offset), u16(out, 0);
  return out;
}

// A wheel of `name` `version`: the given files plus METADATA, WHEEL and a RECORD that lists them all.
struct WheelSpec {
  std::string name = "demo";
  std::string version = "1.0";
  bool purelib = true;
  std::string wheel_version = "1.0";
  std::vector<ZipMember> files;           // paths relative to the archive root
  std::string entry_points;               // entry_points.txt, if not empty
  std::map<std::string, std::string> record_overrides;  // path -> RECORD row to write instead
  std::vector<std::string> unlisted;      // members left out of RECORD
};

inline std::string dist_info_of(const WheelSpec& spec) { return spec.name + "-" + spec.version + ".dist-info"; }

inline std::string make_wheel(const WheelSpec& spec) {
  std::vector<ZipMember> members = spec.files;
  const std::string info = dist_info_of(spec);
  members.push_back({info + "/METADATA", "Metadata-Version: 2.1\nName: " + spec.name + "\nVersion: " + spec.version + "\n"});
  members.push_back({info + "/WHEEL", "Wheel-Version: " + spec.wheel_version + "\nGenerator: thoth-test\nRoot-Is-Purelib: " +
                                          (spec.purelib ? "true" : "false") + "\nTag: py3-none-any\n"});
  if (!spec.entry_points.empty()) members.push_back({info + "/entry_points.txt", spec.entry_points});
  std::string record;
  for (const ZipMember& m : members) {
    if (std::find(spec.unlisted.begin(), spec.unlisted.end(), m.name) != spec.unlisted.end()) continue;
    auto it = spec.record_overrides.find(m.name);
    record += it != spec.record_overrides.end() ? it->second
                                                : m.name + "," + record_hash(m.data) + "," + std::to_string(m.data.size());
    record += "\n";
  }
  record += info + "/RECORD,,\n";
  members.push_back({info + "/RECORD", record});
  return make_zip(members);
}

inline std::filesystem::path write_wheel(const std::filesystem::path& dir, const WheelSpec& spec) {
  std::filesystem::path file = dir / (spec.name + "-" + spec.version + "-py3-none-any.whl");
  write_text(file, make_wheel(spec));
  return file;
}

inline WheelToInstall wheel_input(const std::filesystem::path& file, bool with_hash = true) {
  WheelToInstall w;
  w.file = file;
  if (with_hash) w.sha256 = sha256_file_hex(file);
  return w;
}

// An environment laid out under `root` without an interpreter (nothing here runs it).
inline InstallEnvironment fake_environment(const std::filesystem::path& root) {
  InstallEnvironment env;
  env.python = "/usr/bin/python3";
  env.executable = (root / "bin" / "python").string();
  env.version = "3.11";
  env.cache_tag = "cpython-311";
  env.prefix = root;
  env.base_prefix = "/usr";
  env.in_venv = true;
  env.removal_root = root;
  env.scheme = {root / "lib" / "site-packages", root / "lib64" / "site-packages", root / "bin", root,
                root / "include" / "site" / "python3.11"};
  for (const auto& dir : {env.scheme.purelib, env.scheme.platlib, env.scheme.scripts, env.scheme.headers})
    std::filesystem::create_directories(dir);
  return env;
}

// A fake environment, a cache and a directory for the test's wheels, all temporary.
class FakeEnvironmentTest : public ::testing::Test {
 protected:
  TempDir root{"env"}, cache{"cache"}, wheels{"wheels"};
  InstallEnvironment env = fake_environment(root.path);
  InstallOptions options = [this] {
    InstallOptions o;
    o.cache_dir = cache.path;
    return o;
  }();
};

// Every entry under `root`: its type, permission bits and content hash (or link target).
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& root) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec); !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    struct stat st {};
    ::lstat(it->path().c_str(), &st);
    std::string rel = it->path().lexically_relative(root).generic_string();
    std::string mode = std::to_string(st.st_mode & 07777);
    if (S_ISDIR(st.st_mode)) out[rel] = "dir " + mode;
    else if (S_ISLNK(st.st_mode)) out[rel] = "link " + std::filesystem::read_symlink(it->path()).string();
    else out[rel] = "file " + mode + " " + sha256_file_hex(it->path());
  }
  return out;
}

}  // namespace thoth::install_test
