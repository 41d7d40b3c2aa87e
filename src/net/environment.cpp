#include "net/environment.hpp"

#include <system_error>

#include "net/url.hpp"
#include "base/ascii.hpp"

namespace thoth::net {

std::string env_value(const Environment& env, const std::string& name) {
  const auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

std::string netrc_path(const HttpOptions& o) {
  if (!o.use_netrc) return {};
  std::filesystem::path file = o.netrc_file;
  if (file.empty()) file = env_value(o.environment, "NETRC");
  if (file.empty()) {
    const std::string home = env_value(o.environment, "HOME");
    if (home.empty()) return {};
    file = std::filesystem::path(home) / ".netrc";
  }
  std::error_code ec;
  return std::filesystem::is_regular_file(file, ec) ? file.string() : std::string();
}

namespace {

// The first of `names` that is set.
std::string first_set(const Environment& env, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    std::string value = env_value(env, name);
    if (!value.empty()) return value;
  }
  return {};
}

}  // namespace

const std::string& EnvironmentProxies::for_scheme(std::string_view scheme) const {
  return base::ascii_iequals(scheme, "https") ? https : http;
}

EnvironmentProxies environment_proxies(const Environment& env) {
  EnvironmentProxies p;
  p.http = first_set(env, {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"});
  p.https = first_set(env, {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"});
  p.no_proxy = first_set(env, {"no_proxy", "NO_PROXY"});
  return p;
}

std::filesystem::path temp_root(const Environment& env) {
  const std::string tmpdir = env_value(env, "TMPDIR");
  return tmpdir.empty() ? std::filesystem::path("/tmp") : std::filesystem::path(tmpdir);
}

}  // namespace thoth::net
