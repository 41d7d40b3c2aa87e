// The index and network options shared by every command that reads package indexes (pip's
// --index-url, --extra-index-url, --find-links, --no-index, --trusted-host, --cert, --client-cert,
// --timeout, --retries, --proxy, plus --index-strategy, --exclude-newer, --cache-dir, --no-cache,
// --offline), and how they combine with pip's configuration files and PIP_* variables into what the
// index library and the HTTP client take.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "thoth/http_cache.hpp"
#include "thoth/index.hpp"
#include "thoth/net.hpp"

namespace thoth::cli {

// What the options said, unvalidated. Empty / unset means "not given".
struct IndexOptionValues {
  std::string index_url;                     // -i, --index-url URL
  std::vector<std::string> extra_index_urls;  // --extra-index-url URL (repeatable)
  std::vector<std::string> find_links;        // -f, --find-links DIR|URL (repeatable)
  bool no_index = false;                     // --no-index
  std::string index_strategy;                // --index-strategy first-index|unsafe-best-match
  std::vector<std::string> trusted_hosts;     // --trusted-host HOST[:PORT] (repeatable)
  std::string cert;                          // --cert PATH (CA bundle)
  std::string client_cert;                   // --client-cert PATH
  std::string exclude_newer;                 // --exclude-newer DATE
  std::string cache_dir;                     // --cache-dir DIR
  bool no_cache = false;                     // --no-cache
  bool offline = false;                      // --offline
  std::optional<double> timeout;             // --timeout SECONDS
  std::optional<double> retries;             // --retries N (checked as a whole number by make_index_setup)
  std::string proxy;                         // --proxy URL
};

// Adds the options above to `cmd` in two help groups, bound to `values` (which must outlive the parse).
void add_index_options(CLI::App& cmd, IndexOptionValues& values);

// Everything a command needs to read indexes. Build the client from `http` (it holds the cache) and
// the source with build_source(config, client, &warnings).
struct IndexSetup {
  IndexConfig config;
  HttpOptions http;
  std::filesystem::path cache_dir;    // empty with --no-cache
  std::vector<std::string> warnings;  // unusable pip.conf lines and the like, for report_warnings()
};

// Combines, lowest precedence first: pip.conf files and PIP_* variables (as pip reads them), then
// `from_files` (options of requirements files, when the caller has any), then the command line; list
// options accumulate. --cert, --client-cert, --timeout, --retries and --proxy are each the command
// line, else PIP_CERT (PIP_CLIENT_CERT, ...), else cert (client-cert, ...) in pip.conf ([install]
// over [global]); the CA bundle then falls back to REQUESTS_CA_BUNDLE, then CURL_CA_BUNDLE (pip's
// order). The cache is --cache-dir, else $XDG_CACHE_HOME/thoth or
// ~/.cache/thoth; none with --no-cache. Throws CliError (exit code 2) for a bad option value.
IndexSetup make_index_setup(const IndexOptionValues& values, const Context& ctx,
                            const IndexOptions& from_files = {});

// The cache directory --cache-dir names (made absolute), else the default one. Throws IndexError
// when there is no default (neither XDG_CACHE_HOME nor HOME set).
std::filesystem::path cache_directory(const std::string& cache_dir_option, const Context& ctx);

// Prints each message as "thoth: warning: ..." on stderr, unless -q.
void report_warnings(const Context& ctx, const std::vector<std::string>& warnings);

}  // namespace thoth::cli
