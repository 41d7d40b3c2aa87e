#include "cli/index_options.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <ostream>
#include <sstream>
#include <system_error>

#include "cli/exit_codes.hpp"

namespace thoth::cli {

namespace {

void add_network_options(CLI::App& cmd, IndexOptionValues& v) {
  const std::string group = "Network and cache options";
  cmd.add_option("--trusted-host", v.trusted_hosts,
                 "Accept http:// and unverified TLS for HOST or HOST:PORT (repeatable)")
      ->type_name("HOST")
      ->allow_extra_args(false)
      ->group(group);
  cmd.add_option("--cert", v.cert, "CA bundle (PEM file or hashed directory) to verify servers with")
      ->type_name("PATH")
      ->group(group);
  cmd.add_option("--client-cert", v.client_cert, "PEM file with a client certificate and its private key")
      ->type_name("PATH")
      ->group(group);
  cmd.add_option("--timeout", v.timeout, "Give up on a connection silent for this long (default 15 s to connect, 30 s to read)")
      ->type_name("SECONDS")
      ->group(group);
  cmd.add_option("--retries", v.retries, "Retry a failed request up to N times (default 4)")
      ->type_name("N")
      ->group(group);
  cmd.add_option("--proxy", v.proxy, "Send every request through this proxy: [scheme://][user:password@]host:port")
      ->type_name("URL")
      ->group(group);
  auto* cache_dir = cmd.add_option("--cache-dir", v.cache_dir,
                                   "Cache directory (default $XDG_CACHE_HOME/thoth or ~/.cache/thoth)")
                        ->type_name("DIR")
                        ->group(group);
  cmd.add_flag("--no-cache", v.no_cache, "Neither read nor write the on-disk cache")
      ->group(group)
      ->excludes(cache_dir);
  cmd.add_flag("--offline", v.offline, "Never use the network: only local mirrors and the cache")->group(group);
}

// A string option as pip takes it: the command line, else PIP_<NAME>, else pip.conf ([install] over
// [global]). `settings` holds the last two in pip's order.
std::string string_option(const std::string& command_line, const ConfigSettings& settings, std::string_view name) {
  if (!command_line.empty()) return command_line;
  const ConfigSetting* s = find_setting(settings, name);
  return s != nullptr ? s->value : std::string();
}

// pip's precedence for certificate verification: --cert (or PIP_CERT, or cert in pip.conf), then
// requests' own REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE.
std::string ca_bundle(const IndexOptionValues& v, const ConfigSettings& settings, const Context& ctx) {
  if (std::string cert = string_option(v.cert, settings, "cert"); !cert.empty()) return cert;
  for (const char* name : {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"}) {
    if (auto value = ctx.getenv(name); value && !value->empty()) return *value;
  }
  return {};
}

// A TLS file given by the user must exist now, not fail on the first https request.
void check_exists(const std::string& path, const std::string& what) {
  if (path.empty()) return;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw CliError(ExitCode::Usage, what + " '" + path + "' does not exist");
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
  throw CliError(ExitCode::Usage, s->origin + " = '" + s->value + "' is not a number");
}

std::chrono::milliseconds seconds_to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000.0)));
}

}  // namespace

void add_index_options(CLI::App& cmd, IndexOptionValues& v) {
  const std::string group = "Index options";
  cmd.add_option("-i,--index-url", v.index_url, "Base URL of the simple index (default https://pypi.org/simple)")
      ->type_name("URL")
      ->group(group);
  cmd.add_option("--extra-index-url", v.extra_index_urls, "Another index, asked after --index-url (repeatable)")
      ->type_name("URL")
      ->allow_extra_args(false)
      ->group(group);
  cmd.add_option("-f,--find-links", v.find_links,
                 "A directory of distributions or an HTML page of links to them (repeatable)")
      ->type_name("DIR|URL")
      ->allow_extra_args(false)
      ->group(group);
  cmd.add_flag("--no-index", v.no_index, "Ignore the indexes; use only --find-links locations")->group(group);
  cmd.add_option("--index-strategy", v.index_strategy,
                 "first-index (default: a project comes from the first index that has it) or unsafe-best-match")
      ->type_name("STRATEGY")
      ->group(group);
  cmd.add_option("--exclude-newer", v.exclude_newer,
                 "Ignore files uploaded at or after DATE (2024-01-31 or 2024-01-31T12:00:00Z)")
      ->type_name("DATE")
      ->group(group);
  add_network_options(cmd, v);
}

std::filesystem::path cache_directory(const std::string& cache_dir_option, const Context& ctx) {
  if (!cache_dir_option.empty()) {
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(cache_dir_option, ec);
    return ec ? std::filesystem::path(cache_dir_option) : abs.lexically_normal();
  }
  return default_cache_dir(ctx.env);
}

IndexSetup make_index_setup(const IndexOptionValues& v, const Context& ctx, const IndexOptions& from_files) {
  IndexSetup setup;

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
      throw CliError(ExitCode::Usage, "invalid --index-strategy '" + v.index_strategy +
                                          "' (expected first-index or unsafe-best-match)");
    }
  }
  if (!v.exclude_newer.empty()) {
    if (!parse_timestamp(v.exclude_newer)) {
      throw CliError(ExitCode::Usage, "invalid --exclude-newer '" + v.exclude_newer +
                                          "' (expected a date 2024-01-31 or a time 2024-01-31T12:00:00Z)");
    }
    cli.exclude_newer = v.exclude_newer;
  }

  const ConfigSettings settings =
      pip_config_settings(read_config_files(pip_config_paths(ctx.env)), ctx.env, &setup.warnings);
  setup.config = load_index_config(settings, cli, &setup.warnings);

  HttpOptions& http = setup.http;
  http.environment = ctx.env;  // netrc, proxies, TMPDIR: net/ reads no variable itself
  http.trusted_hosts = setup.config.trusted_hosts;
  http.credential_urls = credential_urls(setup.config);
  http.ca_bundle = ca_bundle(v, settings, ctx);
  check_exists(http.ca_bundle.string(), "the CA bundle");
  http.client_cert = string_option(v.client_cert, settings, "client-cert");
  check_exists(http.client_cert.string(), "the client certificate");
  // pip --proxy: every request, http and https alike, goes through it.
  http.proxy = string_option(v.proxy, settings, "proxy");

  // pip's --timeout is a socket timeout: it bounds connecting and every wait for data alike.
  auto timeout = v.timeout ? std::optional<NumberOption>(NumberOption{*v.timeout, "--timeout"})
                           : config_number(settings, "timeout");
  if (timeout) {
    if (!(timeout->value > 0) || timeout->value > 86400) {
      std::ostringstream shown;
      shown << timeout->value;  // "0", "-1.5": as the user wrote it, not "0.000000"
      throw CliError(ExitCode::Usage, "invalid " + timeout->origin + " " + shown.str() +
                                          " (expected seconds > 0, at most 86400)");
    }
    http.connect_timeout = http.read_timeout = seconds_to_ms(timeout->value);
  }
  auto retries = v.retries ? std::optional<NumberOption>(NumberOption{*v.retries, "--retries"})
                           : config_number(settings, "retries");
  if (retries) {
    if (retries->value < 0 || retries->value > 100 || std::floor(retries->value) != retries->value) {
      throw CliError(ExitCode::Usage,
                     "invalid " + retries->origin + " value (expected a whole number from 0 to 100)");
    }
    http.max_attempts = static_cast<unsigned>(retries->value) + 1;  // retries after the first attempt
  }
  http.offline = v.offline;

  if (!v.no_cache) {
    try {
      setup.cache_dir = cache_directory(v.cache_dir, ctx);
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
      setup.warnings.push_back(std::string(e.what()) + "; running without a cache");
      setup.cache_dir.clear();
    }
  }
  return setup;
}

void report_warnings(const Context& ctx, const std::vector<std::string>& warnings) {
  if (ctx.verbosity == Verbosity::Quiet) return;
  for (const std::string& w : warnings) ctx.err << "thoth: warning: " << one_line(w) << '\n';
}

}  // namespace thoth::cli
