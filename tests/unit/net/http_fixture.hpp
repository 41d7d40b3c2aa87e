// The fixture of the HttpClient tests against a local server (tests/support/server.py, driven by
// net_server.py) with fault injection: a mirror of small files, options with tiny backoffs and
// timeouts so that the suites stay fast, and helpers to inject faults and catch failures. Each suite
// (a subclass) starts its own server.
#pragma once

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "support.hpp"
#include "thoth/http_cache.hpp"
#include "thoth/net.hpp"

namespace thoth::test {

// A port on 127.0.0.1 that nothing listens on (bound, read, closed).
inline int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

inline std::string file_body(int i) { return pattern_bytes(1000 + i * 37, i); }

class HttpFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new TempDir;
    const auto& r = root_->path();
    for (int i = 0; i < 40; ++i) write_file(r / "files" / ("f" + std::to_string(i) + ".bin"), file_body(i));
    write_file(r / "files" / "big.bin", pattern_bytes(200000, 99));
    write_file(r / "simple" / "foo" / "index.html", "<!DOCTYPE html><a href=\"foo-1.0.tar.gz\">foo</a>\n");
    write_file(r / "simple" / "foo" / "index.json", "{\"meta\": {\"api-version\": \"1.0\"}, \"name\": \"foo\"}\n");
    write_file(r / "private" / "secret.txt", "the secret\n");
    server_ = new ServerProcess(r);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete root_;
    server_ = nullptr;
    root_ = nullptr;
  }

  void SetUp() override {
    ASSERT_EQ(server_->command("clear"), "ok");
    ASSERT_EQ(server_->command("cache-control max-age=600"), "ok");
  }

  static HttpOptions fast() {
    using namespace std::chrono_literals;
    HttpOptions o;
    o.max_attempts = 3;
    o.backoff_initial = 1ms;
    o.backoff_max = 5ms;
    o.connect_timeout = 2000ms;
    o.read_timeout = 5000ms;
    o.use_netrc = false;
    return o;
  }
  // fast(), with an on-disk cache in `dir`.
  static HttpOptions with_cache(const TempDir& dir) {
    HttpOptions o = fast();
    o.cache = std::make_shared<HttpCache>(dir.path());
    return o;
  }
  static std::string url(const std::string& path) { return server_->url() + path; }
  static void fault(const std::string& spec) { ASSERT_EQ(server_->command("fault " + spec), "ok"); }

  static NetError error_of(HttpClient& client, HttpRequest request) {
    try {
      client.get(std::move(request));
    } catch (const NetError& e) {
      return e;
    }
    ADD_FAILURE() << "expected a NetError";
    return NetError("none", NetError::Kind::invalid_request);
  }

  static inline TempDir* root_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
};

}  // namespace thoth::test
