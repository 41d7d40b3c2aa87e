// Credentials per origin, as pip's MultiDomainBasicAuth keeps them per netloc: the user:password of an
// index URL (or a find-links URL) also authenticates the other URLs thoth fetches from that server,
// such as absolute file links, PEP 658 .metadata files and wheels read by ranges, whose URLs carry
// no userinfo of their own. An origin is scheme://host:port (RFC 6454), so credentials given for
// https://host never go over http://host, nor to another port or host.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace thoth::net {

struct Credentials {
  std::string username;  // percent-decoded
  std::string password;  // percent-decoded; empty for a lone token ("https://token@host")
};

// The userinfo of `url`, percent-decoded; nullopt when it has none.
std::optional<Credentials> url_credentials(std::string_view url);

class CredentialStore {
 public:
  CredentialStore() = default;
  // The first URL with userinfo for an origin gives that origin's credentials (pip: the first index
  // URL that matches wins); URLs without userinfo are skipped.
  explicit CredentialStore(const std::vector<std::string>& urls) { add(urls); }
  // More URLs, after those already given: an origin that has credentials keeps them.
  void add(const std::vector<std::string>& urls);

  // The stored credentials for the origin of `url`, or nullptr. A URL with its own userinfo never
  // gets stored ones: its own win (pip: "credentials in the URL take precedence").
  const Credentials* for_url(std::string_view url) const;
  bool empty() const { return by_origin_.empty(); }

 private:
  std::map<std::string, Credentials> by_origin_;  // host_key() -> credentials
};

}  // namespace thoth::net
