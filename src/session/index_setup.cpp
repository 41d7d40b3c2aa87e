// pip's configuration, the requirements files' options and the command line, merged into what the
// index library and the HTTP client take (see make_index_setup in thoth/session.hpp).
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <memory>
#include <sstream>
#include <system_error>

#include "session/tls_files.hpp"
#include "thoth/http_cache.hpp"
#include "thoth/net.hpp"  // read_file
#include "thoth/session.hpp"

namespace thoth {

namespace {

// A string option as pip takes it: the command line, else PIP_<NAME>, else pip.conf ([install] over
// [global]). `settings` holds the last two in pip's order.
std::string string_option(const std::string& command_line, const ConfigSettings& settings, std::string_view name) {
  if (!command_line.empty()) return command_line;
  const ConfigSetting* s = find_setting(settings, name);
  return s != nullptr ? s->value : std::string();
}

// pip's precedence for certificate verification: --cert (or PIP_CERT, or cert in pip.conf), then
// requests' own REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE.
std::string ca_bundle(const IndexSettings& v, const ConfigSettings& settings, const SessionEnvironment& env) {
  if (std::string cert = string_option(v.cert, settings, "cert"); !cert.empty()) return cert;
  for (const char* name : {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"}) {
    if (auto value = env.getenv(name); value && !value->empty()) return *value;
  }
  return {};
}

// A TLS file given by the user must exist now, not fail on the first https request.
void check_exists(const std::string& path, const std::string& what) {
  if (path.empty()) return;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw SessionError(what + " '" + path + "' does not exist");
  }
}

// Nor may it be something curl cannot load (a garbage file would fail the first https request as a
// network error, exit status 3, though the fix is the user's file): a CA bundle file holds at least
// one PEM certificate (a directory of hashed certificates is taken as it is), a client certificate a
// PEM certificate and its private key (curl's CURLOPT_SSLCERT and CURLOPT_SSLKEY, both PEM).
void check_pem(const std::string& path, const std::string& what, bool with_key) {
  if (path.empty()) return;
  check_exists(path, what);
  std::error_code ec;
  if (!with_key && std::filesystem::is_directory(path, ec)) return;
  const std::optional<std::string> text = read_file(path);
  if (!text) throw SessionError("cannot read " + what + " '" + path + "'");
  const std::string expected = with_key ? "a PEM certificate and its private key" : "PEM certificates";
  if (!tls_files::has_certificate(*text)) {
    throw SessionError(what + " '" + path + "' holds no PEM certificate (expected " + expected + ")");
  }
  if (with_key && !tls_files::has_private_key(*text)) {
    throw SessionError(what + " '" + path + "' holds no PEM private key (expected " + expected + ")");
  }
}

// A number option and where it was set ("--timeout", "PIP_TIMEOUT", "<file> [global] timeout").
struct NumberOption {
  double value;
  std::string origin;
};

// A number from PIP_TIMEOUT / PIP_RETRIES or pip.conf (how pip's own options read them; the command
// line wins). Like pip, a value that is not a number is an error, named where it was set.
std::optional<NumberOption> config_number(const ConfigSettings& settings, std::string_view name) {
  const ConfigSetting* s = find_setting(settings, name);
  if (s == nullptr) return std::nullopt;
  try {
    std::size_t used = 0;
    const double d = std::stod(s->value, &used);
    if (used == s->value.size()) return NumberOption{d, s->origin};
  } catch (const std::exception&) {
  }
  throw SessionError(s->origin + " = '" + s->value + "' is not a number");
}

std::chrono::milliseconds seconds_to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000.0)));
}

}  // namespace

std::filesystem::path cache_directory(const std::string& cache_dir_option, const Environment& env) {
  if (!cache_dir_option.empty()) {
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(cache_dir_option, ec);
    return ec ? std::filesystem::path(cache_dir_option) : abs.lexically_normal();
  }
  return default_cache_dir(env);
}

IndexSetup make_index_setup(const IndexSettings& v, const SessionEnvironment& env, const IndexOptions& from_files) {
  IndexSetup setup;
  std::vector<std::string> warnings;  // unusable pip.conf lines, a cache that cannot be written

  // Requirements-file options first, the command line on top: single values replace, lists append.
  IndexOptions cli = from_files;
  if (!v.index_url.empty()) cli.index_url = v.index_url;
  cli.extra_index_urls.insert(cli.extra_index_urls.end(), v.extra_index_urls.begin(), v.extra_index_urls.end());
  cli.find_links.insert(cli.find_links.end(), v.find_links.begin(), v.find_links.end());
  cli.trusted_hosts.insert(cli.trusted_hosts.end(), v.trusted_hosts.begin(), v.trusted_hosts.end());
  if (v.no_index) cli.no_index = true;
  if (!v.index_strategy.empty()) {
    cli.strategy = parse_index_strategy(v.index_strategy);
    if (!cli.strategy) {
      throw SessionError("invalid --index-strategy '" + v.index_strategy +
                         "' (expected first-index or unsafe-best-match)");
    }
  }
  if (!v.exclude_newer.empty()) {
    if (!parse_timestamp(v.exclude_newer)) {
      throw SessionError("invalid --exclude-newer '" + v.exclude_newer +
                         "' (expected a date 2024-01-31 or a time 2024-01-31T12:00:00Z)");
    }
    cli.exclude_newer = v.exclude_newer;
  }

  const ConfigSettings settings =
      pip_config_settings(read_config_files(pip_config_paths(env.env)), env.env, &warnings);
  setup.config = load_index_config(settings, cli, &warnings);
  // An index URL of another scheme (ftp://, git+https://) is a mistake in the input (exit status 2),
  // found before any request; a path without a scheme is a local index.
  if (!setup.config.no_index) {
    std::vector<std::string> index_urls = setup.config.extra_index_urls;
    index_urls.insert(index_urls.begin(), setup.config.index_url);
    for (const std::string& url : index_urls) {
      const auto sep = url.find("://");
      if (sep == std::string::npos) continue;
      std::string scheme = url.substr(0, sep);
      for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (scheme != "http" && scheme != "https" && scheme != "file") {
        throw SessionError("unsupported index URL " + redact_url(url) + " (expected http://, https:// or file://)");
      }
    }
  }

  HttpOptions& http = setup.http;
  http.environment = env.env;  // netrc, HOME, proxies, TMPDIR: the command's environment, not getenv()
  http.trusted_hosts = setup.config.trusted_hosts;
  http.credential_urls = credential_urls(setup.config);
  http.ca_bundle = ca_bundle(v, settings, env);
  check_pem(http.ca_bundle.string(), "the CA bundle", false);
  http.client_cert = string_option(v.client_cert, settings, "client-cert");
  check_pem(http.client_cert.string(), "the client certificate", true);
  // pip --proxy: every request, http and https alike, goes through it.
  http.proxy = string_option(v.proxy, settings, "proxy");

  // pip's --timeout is a socket timeout: it bounds connecting and every wait for data alike.
  auto timeout = v.timeout ? std::optional<NumberOption>(NumberOption{*v.timeout, "--timeout"})
                           : config_number(settings, "timeout");
  if (timeout) {
    if (!(timeout->value > 0) || timeout->value > 86400) {
      std::ostringstream shown;
      shown << timeout->value;  // "0", "-1.5": as the user wrote it, not "0.000000"
      throw SessionError("invalid " + timeout->origin + " " + shown.str() +
                         " (expected seconds > 0, at most 86400)");
    }
    http.connect_timeout = http.read_timeout = seconds_to_ms(timeout->value);
  }
  auto retries = v.retries ? std::optional<NumberOption>(NumberOption{*v.retries, "--retries"})
                           : config_number(settings, "retries");
  if (retries) {
    if (retries->value < 0 || retries->value > 100 || std::floor(retries->value) != retries->value) {
      throw SessionError("invalid " + retries->origin + " value (expected a whole number from 0 to 100)");
    }
    http.max_attempts = static_cast<unsigned>(retries->value) + 1;  // retries after the first attempt
  }
  http.offline = v.offline;

  if (!v.no_cache) {
    try {
      setup.cache_dir = cache_directory(v.cache_dir, env.env);
      // A cache that cannot be written would fail silently entry by entry: say so once, go on without.
      std::error_code ec;
      std::filesystem::create_directories(setup.cache_dir, ec);
      if (!std::filesystem::is_directory(setup.cache_dir) || ::access(setup.cache_dir.c_str(), W_OK) != 0) {
        throw IndexError("the cache directory " + setup.cache_dir.string() +
                         " is not a writable directory (choose another with --cache-dir, or --no-cache)");
      }
      http.cache = std::make_shared<HttpCache>(setup.cache_dir);
    } catch (const IndexError& e) {
      // No place for a cache is no reason to fail a command that can work without one.
      warnings.push_back(std::string(e.what()) + "; running without a cache");
      setup.cache_dir.clear();
    }
  }
  if (env.messages != nullptr)
    for (const std::string& w : warnings) env.messages->warning(w);
  return setup;
}

}  // namespace thoth
