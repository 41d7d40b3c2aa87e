// What the client takes from HttpOptions::environment (the caller's snapshot of the process
// environment): the netrc file, the proxies and the temporary directory. Nothing in net/ reads the
// process environment itself.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "thoth/net.hpp"

namespace thoth::net {

using Environment = std::map<std::string, std::string>;

// The value of `name`, or "" when it is unset or empty (curl and pip's requests treat both alike).
std::string env_value(const Environment& env, const std::string& name);

// The netrc file to use: HttpOptions::netrc_file, else NETRC, else $HOME/.netrc; "" when use_netrc
// is off, or the file is not a regular file.
std::string netrc_path(const HttpOptions& options);

// The proxies of the environment, as curl and pip's requests read them (lower-case name first), and
// pip also honours HTTP_PROXY, which curl ignores.
struct EnvironmentProxies {
  std::string http;      // http_proxy, HTTP_PROXY, all_proxy, ALL_PROXY
  std::string https;     // https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY
  std::string no_proxy;  // no_proxy, NO_PROXY

  // The proxy for a URL of this scheme ("http" or "https", any case); "" for none.
  const std::string& for_scheme(std::string_view scheme) const;
};
EnvironmentProxies environment_proxies(const Environment& env);

// Where temporary files go without a cache: TMPDIR, else /tmp (POSIX's default).
std::filesystem::path temp_root(const Environment& env);

}  // namespace thoth::net
