// Test support for the index unit tests: temporary directories, mirrors built at test time by
// tests/support/mirror.py, and the local index server (index_server.py around tests/support/server.py)
// run as a child process and driven over a pipe.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "thoth/target.hpp"

extern char** environ;

namespace thoth::test {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "thoth-index-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& content) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Runs a program to completion with stdout/stderr inherited; returns its exit status.
inline int run(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Builds a mirror from a JSON spec (see tests/support/mirror.py) under `out`: out/simple, out/files.
inline void make_mirror(const std::string& spec_json, const std::filesystem::path& out,
                        std::vector<std::string> extra_args = {}) {
  const auto spec = out.string() + ".spec.json";
  write_file(spec, spec_json);
  std::vector<std::string> args = {"/usr/bin/python3", std::string(THOTH_SOURCE_DIR) + "/tests/support/mirror.py",
                                   spec, out.string()};
  for (auto& a : extra_args) args.push_back(a);
  if (run(args) != 0) throw std::runtime_error("mirror.py failed for " + spec);
}

// A CPython 3.11.4 target on manylinux x86_64.
inline Target linux_target(const std::string& python = "3.11.4") {
  return Target::from_json(R"({"python_version": ")" + python + R"(", "platform": "manylinux_2_28_x86_64"})");
}

// Spawns `python3 index_server.py ROOT`; command() sends one line and returns the answer line.
class ServerProcess {
 public:
  explicit ServerProcess(const std::filesystem::path& root, bool json = true) {
    int in_pipe[2], out_pipe[2];
    if (::pipe(in_pipe) != 0 || ::pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_addclose(&actions, in_pipe[1]);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    const std::string script = std::string(THOTH_SOURCE_DIR) + "/tests/unit/index/index_server.py";
    std::vector<std::string> args = {"/usr/bin/python3", script, root.string()};
    if (!json) args.push_back("--no-json");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    if (rc != 0) throw std::runtime_error("cannot start the test server");
    to_ = ::fdopen(in_pipe[1], "w");
    from_ = ::fdopen(out_pipe[0], "r");
    url_ = read_line();
    if (url_.rfind("http://", 0) != 0) throw std::runtime_error("test server did not start: " + url_);
  }

  ~ServerProcess() {
    std::fputs("quit\n", to_);
    std::fclose(to_);
    std::fclose(from_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }

  // "http://127.0.0.1:PORT"
  const std::string& url() const { return url_; }

  std::string command(const std::string& line) {
    std::fputs((line + "\n").c_str(), to_);
    std::fflush(to_);
    return read_line();
  }
  long count(const std::string& glob) { return std::stol(command("count " + glob)); }
  long bytes(const std::string& glob) { return std::stol(command("bytes " + glob)); }
  long ranges(const std::string& glob) { return std::stol(command("ranges " + glob)); }

 private:
  std::string read_line() {
    std::string line;
    int c;
    while ((c = std::fgetc(from_)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
    return line;
  }

  pid_t pid_ = -1;
  std::FILE* to_ = nullptr;
  std::FILE* from_ = nullptr;
  std::string url_;
};

}  // namespace thoth::test
