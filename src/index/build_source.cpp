// IndexConfig -> the CompositeSource the resolver reads from.
#include <algorithm>

#include "index/sources.hpp"
#include "index/url.hpp"

namespace thoth {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "host" and "host:port" of an http(s) URL (userinfo dropped, IPv6 brackets removed from host).
std::pair<std::string, std::string> host_and_hostport(std::string_view url) {
  auto scheme_end = url.find("://");
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string hostport = lower(std::string(rest));
  std::string host = hostport;
  if (!host.empty() && host[0] == '[') {
    host = host.substr(1, host.find(']') - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  return {host, hostport};
}

// pip's SECURE_ORIGINS: https anywhere, http only to the local machine or a --trusted-host.
bool secure_origin(std::string_view url, const std::vector<std::string>& trusted) {
  if (lower(std::string(url.substr(0, 8))) == "https://") return true;
  auto [host, hostport] = host_and_hostport(url);
  if (host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0) return true;
  for (const auto& t : trusted) {
    std::string tl = lower(t);
    if (tl == host || tl == hostport) return true;
  }
  return false;
}

// A location given as a plain path becomes a file:// URL; URLs are kept.
std::string as_url(const std::string& location) {
  if (location.find("://") != std::string::npos || idx::is_file_url(location)) return location;
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
  std::erase_if(urls, [](const std::string& u) { return !idx::is_http_url(u); });
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
  for (const auto& raw : index_urls) {
    std::string url = as_url(raw);
    if (std::find(seen.begin(), seen.end(), url) != seen.end()) continue;
    seen.push_back(url);
    if (!idx::is_http_url(url) && !idx::is_file_url(url)) {
      throw IndexError("unsupported index URL " + redact_url(raw) + " (expected http://, https:// or file://)");
    }
    if (idx::is_http_url(url) && !secure_origin(url, config.trusted_hosts)) {
      auto [host, hostport] = host_and_hostport(url);
      warn("the index " + redact_url(url) + " is neither HTTPS nor a trusted host and is ignored; use HTTPS, or " +
           "allow it with --trusted-host " + host);
      continue;
    }
    indexes.push_back(std::make_unique<idx::SimpleIndexSource>(url, client, settings(indexes.size())));
    urls.push_back(redact_url(url));
  }
  for (const auto& location : config.find_links) {
    if (!idx::is_http_url(location)) {
      auto path = idx::is_file_url(location) ? idx::file_url_to_path(location)
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
  return std::make_unique<idx::CompositeSource>(std::move(indexes), std::move(find_links), config.strategy);
}

}  // namespace thoth
