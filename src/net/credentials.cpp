#include "net/credentials.hpp"

#include "net/url.hpp"
#include "base/url_text.hpp"

namespace thoth::net {

std::optional<Credentials> url_credentials(std::string_view url) {
  const auto parts = split_url(url);
  if (!parts || !parts->has_userinfo) return std::nullopt;
  const auto colon = parts->userinfo.find(':');
  Credentials c;
  c.username = base::percent_decode(parts->userinfo.substr(0, colon));
  if (colon != std::string_view::npos) c.password = base::percent_decode(parts->userinfo.substr(colon + 1));
  return c;
}

void CredentialStore::add(const std::vector<std::string>& urls) {
  for (const std::string& url : urls) {
    auto credentials = url_credentials(url);
    if (!credentials) continue;
    const std::string origin = host_key(url);
    if (!origin.empty()) by_origin_.emplace(origin, std::move(*credentials));
  }
}

const Credentials* CredentialStore::for_url(std::string_view url) const {
  if (by_origin_.empty()) return nullptr;
  const auto parts = split_url(url);
  if (!parts || parts->has_userinfo) return nullptr;
  const auto it = by_origin_.find(host_key(url));
  return it == by_origin_.end() ? nullptr : &it->second;
}

}  // namespace thoth::net
