// TLS options against a local HTTPS server with throwaway certificates made by the openssl tool:
// pip's --cert (ca_bundle), --trusted-host and --client-cert.
#include <gtest/gtest.h>

#include <cstdlib>

#include "support.hpp"
#include "thoth/net.hpp"

namespace thoth {
namespace {

using namespace std::chrono_literals;

bool make_cert(const std::filesystem::path& dir, const std::string& name, const std::string& subject_args) {
  const std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -keyout '" +
                          (dir / (name + ".key")).string() + "' -out '" + (dir / (name + ".crt")).string() + "' " +
                          subject_args + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

class Tls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    const auto& d = dir_->path();
    test::write_file(d / "root" / "hello.txt", "hello over tls\n");
    if (!make_cert(d, "server", "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1") ||
        !make_cert(d, "client", "-subj /CN=thoth-client")) {
      return;  // no openssl tool: the tests skip
    }
    // --client-cert takes one PEM with the certificate and its key.
    test::write_file(d / "client.pem", test::read_file(d / "client.crt") + test::read_file(d / "client.key"));
    const std::vector<std::string> tls = {"--tls", (d / "server.crt").string(), (d / "server.key").string()};
    server_ = new test::ServerProcess(d / "root", tls);
    std::vector<std::string> mutual = tls;
    mutual.insert(mutual.end(), {"--client-ca", (d / "client.crt").string()});
    mutual_ = new test::ServerProcess(d / "root", mutual);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete mutual_;
    delete dir_;
  }
  void SetUp() override {
    if (server_ == nullptr) GTEST_SKIP() << "the openssl tool could not make test certificates";
  }

  static HttpOptions fast() {
    HttpOptions o;
    o.max_attempts = 3;
    o.backoff_initial = 1ms;
    o.backoff_max = 5ms;
    o.use_netrc = false;
    return o;
  }

  static test::TempDir* dir_;
  static test::ServerProcess* server_;
  static test::ServerProcess* mutual_;
};

test::TempDir* Tls::dir_ = nullptr;
test::ServerProcess* Tls::server_ = nullptr;
test::ServerProcess* Tls::mutual_ = nullptr;

TEST_F(Tls, UnknownCertificateAuthorityIsFinal) {
  HttpClient client(fast());
  const std::string url = server_->url() + "/hello.txt";
  try {
    client.get(url);
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.kind(), NetError::Kind::tls);
    EXPECT_EQ(msg.rfind("GET " + url + " failed: TLS certificate verification failed", 0), 0u) << msg;
    EXPECT_NE(msg.find("--cert"), std::string::npos) << msg;
    // curl's sentence is joined lower-cased, but not an acronym ("sSL certificate problem").
    EXPECT_EQ(msg.find("sSL"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("attempts"), std::string::npos) << msg;  // not retried
  }
  EXPECT_EQ(client.stats().network_requests, 1u);
}

TEST_F(Tls, CaBundleOption) {
  HttpOptions o = fast();
  o.ca_bundle = dir_->path() / "server.crt";
  HttpClient client(o);
  EXPECT_EQ(client.get(server_->url() + "/hello.txt").body, "hello over tls\n");
}

TEST_F(Tls, TrustedHostSkipsVerificationForThatHostOnly) {
  const std::string port = server_->url().substr(server_->url().rfind(':') + 1);
  for (const std::string& trusted : {std::string("127.0.0.1"), "127.0.0.1:" + port}) {
    HttpOptions o = fast();
    o.trusted_hosts = {trusted};
    HttpClient client(o);
    EXPECT_EQ(client.get(server_->url() + "/hello.txt").body, "hello over tls\n") << trusted;
  }
  HttpOptions o = fast();
  o.trusted_hosts = {"127.0.0.1:1", "localhost"};
  HttpClient client(o);
  EXPECT_THROW(client.get(server_->url() + "/hello.txt"), NetError);
}

// An https index that redirects to plain http on another host: followed only when that host is local
// or trusted. The "remote" host is a name only the proxy knows: the plain server, used as the proxy,
// answers for any host (nothing leaves 127.0.0.1), and the https server is reached directly (no_proxy).
TEST_F(Tls, RedirectToPlainHttpNeedsATrustedHost) {
  test::ServerProcess plain(dir_->path() / "root");
  const std::string port = plain.url().substr(plain.url().rfind(':') + 1);
  HttpOptions o = fast();
  o.ca_bundle = dir_->path() / "server.crt";
  o.proxy = plain.url();
  o.environment = {{"no_proxy", "127.0.0.1"}};
  const std::string remote = "http://remote.test:" + port + "/hello.txt";
  {
    ASSERT_EQ(server_->command("fault /hello.txt redirect location=" + remote), "ok");
    HttpClient client(o);
    try {
      client.get(server_->url() + "/hello.txt");
      FAIL() << "the downgrade was followed";
    } catch (const NetError& e) {
      const std::string msg = e.what();
      EXPECT_EQ(e.kind(), NetError::Kind::redirects) << msg;
      EXPECT_NE(msg.find("redirected from https to plain http (" + remote + ")"), std::string::npos) << msg;
      EXPECT_NE(msg.find("--trusted-host remote.test"), std::string::npos) << msg;
    }
    EXPECT_EQ(plain.count("*"), 0);
  }
  {
    ASSERT_EQ(server_->command("fault /hello.txt redirect location=" + remote), "ok");
    o.trusted_hosts = {"remote.test"};
    HttpClient client(o);
    EXPECT_EQ(client.get(server_->url() + "/hello.txt").body, "hello over tls\n");
    EXPECT_EQ(plain.count("*hello.txt"), 1);
  }
  {
    // The local machine is a secure origin over http too (pip's SECURE_ORIGINS).
    ASSERT_EQ(server_->command("fault /hello.txt redirect location=" + plain.url() + "/hello.txt"), "ok");
    o.trusted_hosts.clear();
    HttpClient client(o);
    EXPECT_EQ(client.get(server_->url() + "/hello.txt").body, "hello over tls\n");
    EXPECT_EQ(plain.count("*hello.txt"), 2);
  }
}

TEST_F(Tls, ClientCertificate) {
  HttpOptions o = fast();
  o.ca_bundle = dir_->path() / "server.crt";
  o.max_attempts = 1;
  {
    HttpClient client(o);
    EXPECT_THROW(client.get(mutual_->url() + "/hello.txt"), NetError);
  }
  o.client_cert = dir_->path() / "client.pem";
  HttpClient client(o);
  EXPECT_EQ(client.get(mutual_->url() + "/hello.txt").body, "hello over tls\n");
}

}  // namespace
}  // namespace thoth
