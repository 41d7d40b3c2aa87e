#include "cli/index_options.hpp"

#include <string>

namespace thoth::cli {

namespace {

void add_network_options(CLI::App& cmd, IndexSettings& v) {
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

}  // namespace

void add_index_options(CLI::App& cmd, IndexSettings& v) {
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

}  // namespace thoth::cli
