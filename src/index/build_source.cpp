// IndexConfig -> the CompositeSource the resolver reads from.
#include <algorithm>
#include <map>

#include "index/sources.hpp"
#include "index/url.hpp"
#include "base/url_text.hpp"
#include "base/ascii.hpp"

namespace thoth {
namespace {

// "host" and "host:port" of an http(s) URL, lower-cased (userinfo dropped, IPv6 brackets removed from
// host): the two forms a --trusted-host may take.
std::pair<std::string, std::string> host_and_hostport(std::string_view url) {
  const base::UrlParts p = base::split_url(url);
  const std::string_view hostport = std::string_view(url).substr(p.authority_begin + (p.has_userinfo ? p.userinfo.size() + 1 : 0),
                                                                 p.authority.size() - (p.has_userinfo ? p.userinfo.size() + 1 : 0));
  return {base::ascii_lower(p.host), base::ascii_lower(hostport)};
}

// pip's SECURE_ORIGINS: https anywhere, http only to the local machine or a --trusted-host.
bool secure_origin(std::string_view url, const std::vector<std::string>& trusted) {
  if (base::ascii_istarts_with(url, "https://")) return true;
  auto [host, hostport] = host_and_hostport(url);
  if (host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0) return true;
  for (const auto& t : trusted) {
    const std::string tl = base::ascii_lower(t);
    if (tl == host || tl == hostport) return true;
  }
  return false;
}

// A location given as a plain path becomes a file:// URL; URLs are kept.
std::string as_url(const std::string& location) {
  if (location.find("://") != std::string::npos || base::is_file_url(location)) return location;
  return idx::path_to_file_url(location);
}

}  // namespace

std::vector<std::string> credential_urls(const IndexConfig& config) {
  std::vector<std::string> urls;
  if (!config.no_index) {
    urls.push_back(config.index_url);
    urls.insert(urls.end(), config.extra_index_urls.begin(), config.extra_index_urls.end());
  }
  urls.insert(urls.end(), config.find_links.begin(), config.find_links.end());
  std::erase_if(urls, [](const std::string& u) { return !base::is_http_url(u); });
  return urls;
}

std::unique_ptr<PackageSource> build_source(const IndexConfig& config, HttpClient& client,
                                            std::vector<std::string>* warnings, std::vector<std::string>* source_urls) {
  auto warn = [&](std::string w) {
    if (warnings) warnings->push_back(std::move(w));
  };
  std::vector<std::string> urls;  // each source's base URL, redacted; "" for find-links
  std::optional<std::int64_t> cutoff;
  if (config.exclude_newer) {
    cutoff = parse_timestamp(*config.exclude_newer);
    if (!cutoff) {
      throw IndexError("invalid --exclude-newer value \"" + *config.exclude_newer +
                       "\": expected a date (2024-01-31) or an RFC 3339 time (2024-01-31T12:00:00Z)");
    }
  }
  auto settings = [&](std::size_t position) {
    return idx::SourceSettings{position, cutoff, config.exclude_newer.value_or("")};
  };

  std::vector<std::string> index_urls;
  if (!config.no_index) {
    // pip: --no-index ignores --index-url and --extra-index-url alike.
    if (!config.index_url.empty()) index_urls.push_back(config.index_url);
    for (const auto& u : config.extra_index_urls) index_urls.push_back(u);
  }
  std::vector<std::unique_ptr<idx::ListingSource>> indexes, find_links;
  std::vector<std::string> seen;
  std::map<std::string, std::size_t> position_of;  // index URL (as_url) -> its source's position
  for (const auto& raw : index_urls) {
    std::string url = as_url(raw);
    if (std::find(seen.begin(), seen.end(), url) != seen.end()) continue;
    seen.push_back(url);
    if (!base::is_http_url(url) && !base::is_file_url(url)) {
      throw IndexError("unsupported index URL " + redact_url(raw) + " (expected http://, https:// or file://)");
    }
    if (base::is_http_url(url) && !secure_origin(url, config.trusted_hosts)) {
      auto [host, hostport] = host_and_hostport(url);
      warn("the index " + redact_url(url) + " is neither HTTPS nor a trusted host and is ignored; use HTTPS, or " +
           "allow it with --trusted-host " + host);
      continue;
    }
    position_of.emplace(url, indexes.size());
    indexes.push_back(std::make_unique<idx::SimpleIndexSource>(url, client, settings(indexes.size())));
    urls.push_back(redact_url(url));
  }
  // A project restricted to an index that is not used (--no-index, an insecure one left out) has
  // no source at all: nothing else may stand in for it.
  std::map<std::string, std::size_t> restricted;
  for (const auto& [name, url] : config.project_indexes) {
    const auto it = position_of.find(as_url(url));
    if (it == position_of.end())
      warn(name + " may only come from the index " + redact_url(url) + ", which is not used; no version of it is found");
    restricted.emplace(normalize_name(name), it == position_of.end() ? idx::CompositeSource::kNoSource : it->second);
  }
  for (const auto& location : config.find_links) {
    if (!base::is_http_url(location)) {
      auto path = base::is_file_url(location) ? base::file_url_to_path(location)
                                             : std::optional<std::filesystem::path>(location);
      std::error_code ec;
      if (!path || !std::filesystem::exists(*path, ec)) {
        warn("the find-links location " + location + " does not exist; it is ignored");
        continue;
      }
    } else if (!secure_origin(location, config.trusted_hosts)) {
      auto [host, hostport] = host_and_hostport(location);
      warn("the find-links page " + redact_url(location) + " is neither HTTPS nor a trusted host and is ignored; " +
           "use HTTPS, or allow it with --trusted-host " + host);
      continue;
    }
    find_links.push_back(std::make_unique<idx::FindLinksSource>(
        location, client, settings(indexes.size() + find_links.size())));
    urls.emplace_back();
  }
  if (source_urls) *source_urls = std::move(urls);
  return std::make_unique<idx::CompositeSource>(std::move(indexes), std::move(find_links), config.strategy,
                                                std::move(restricted));
}

}  // namespace thoth
