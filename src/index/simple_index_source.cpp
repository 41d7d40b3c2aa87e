#include <filesystem>
#include <optional>

#include "index/parse_ahead.hpp"
#include "index/sources.hpp"
#include "index/url.hpp"
#include "thoth/hash.hpp"
#include "base/url_text.hpp"

namespace thoth::idx {
namespace {

// PEP 691 "Version + Format Selection": ask for JSON, accept HTML; text/html last for old servers.
constexpr const char* kAccept =
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

enum class Format { json, html };

// PEP 691: the Content-Type of the response says which serialization the server chose.
std::optional<Format> format_of(std::string_view content_type, std::string_view body) {
  std::string type(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "application/vnd.pypi.simple.v1+json" || type == "application/vnd.pypi.simple.latest+json" ||
      type == "application/json") {
    return Format::json;
  }
  if (type == "application/vnd.pypi.simple.v1+html" || type == "application/vnd.pypi.simple.latest+html" ||
      type == "text/html" || type == "application/xhtml+xml") {
    return Format::html;
  }
  if (type.empty()) {
    // No Content-Type at all (a bare static server): the document says what it is.
    auto first = body.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && body[first] == '{' ? Format::json : Format::html;
  }
  return std::nullopt;
}

std::string read_whole(const std::filesystem::path& p) {
  auto data = read_file(p, kMaxPageBytes);
  if (!data) {
    std::error_code ec;
    if (std::filesystem::file_size(p, ec) > kMaxPageBytes && !ec)
      throw IndexError("the index page " + p.string() + " is larger than " + input_limit_text(kMaxPageBytes) +
                       " (the most thoth reads of one page)");
    throw IndexError("cannot read " + p.string());
  }
  return std::move(*data);
}

}  // namespace

SimpleIndexSource::SimpleIndexSource(std::string index_url, HttpClient& client, SourceSettings settings)
    : index_url_(with_trailing_slash(index_url)),
      local_(base::is_file_url(index_url_)),
      client_(client),
      settings_(std::move(settings)),
      fetcher_(client),
      digests_(client.options().cache) {}

SimpleIndexSource::~SimpleIndexSource() {
  cancel_.request_stop();  // a page the parse-ahead thread waits for fails at once
  ahead_.reset();
}

std::string SimpleIndexSource::describe() const { return redact_url(index_url_); }

HttpRequest SimpleIndexSource::page_request(const std::string& name) const {
  // PEP 503: the project URL is <index>/<normalized name>/.
  HttpRequest r(index_url_ + name + "/");
  r.headers.emplace_back("Accept", kAccept);
  r.max_body = kMaxPageBytes;
  // A page parsed before (a digest of that very body) needs no body: a fresh cached page then comes
  // without it, and its body is read only if the digest is missing after all.
  r.cached_body_optional = digests_.enabled();
  // The page is stored once parsed, with its digest (see store_digest).
  r.annex_follows = digests_.enabled();
  r.cancel = cancel_.get_token();
  return r;
}

void SimpleIndexSource::prefetch_candidates(std::string_view name) {
  if (local_) return;  // read from disk on demand; nothing to overlap
  std::string norm = normalize_name(name);
  if (listings_.count(norm) || pending_.count(norm) || (ahead_ && ahead_->has(norm))) return;
  try {
    std::shared_future<HttpResponse> future = client_.submit(page_request(norm));
    if (ahead_) {
      parse_ahead(norm, std::move(future));
    } else {
      pending_.emplace(norm, std::move(future));
    }
  } catch (...) {
    // A hint only; the real call reports the problem.
  }
}

void SimpleIndexSource::parse_ahead(const std::string& name, std::shared_future<HttpResponse> future) {
  // The future is the request's only one (read_response moves the response out of it).
  ahead_->add(name, [this, name, future = std::move(future)]() mutable {
    return read_response(name, index_url_ + name + "/", future);
  });
}

void SimpleIndexSource::start_parsing_ahead() {
  ahead_ = std::make_unique<ParseAhead>();
  for (auto& [name, future] : pending_) parse_ahead(name, std::move(future));
  pending_.clear();
}

const ListingSource::Listing& SimpleIndexSource::listing(std::string_view name) {
  std::string norm = normalize_name(name);
  if (auto it = listings_.find(norm); it != listings_.end()) return it->second;
  Listing result;
  if (local_) {
    result = read_local(norm);
  } else if (std::optional<Listing> ready = ahead_ ? ahead_->take(norm) : std::nullopt) {
    result = std::move(*ready);
  } else {
    auto it = pending_.find(norm);
    if (it == pending_.end()) {
      HttpRequest r = page_request(norm);
      r.urgent = true;
      it = pending_.emplace(norm, client_.submit(std::move(r))).first;
    }
    auto future = std::move(it->second);
    pending_.erase(it);
    bool from_network = false;
    try {
      from_network = !future.get().from_cache;
    } catch (...) {
      // read_response reports it
    }
    result = read_response(norm, index_url_ + norm + "/", future);
    // Pages from the network are parsed, not read from their digest: the rest of them, on a second
    // thread (a warm run, whose pages come from the cache, never starts it).
    if (from_network && !ahead_) start_parsing_ahead();
  }
  return listings_.emplace(norm, std::move(result)).first->second;
}

ListingSource::Listing SimpleIndexSource::read_local(const std::string& name) {
  auto root = base::file_url_to_path(index_url_);
  if (!root) throw IndexError("cannot read the index " + index_url_ + ": not a local file URL");
  std::error_code ec;
  if (!std::filesystem::is_directory(*root, ec)) {
    throw IndexError("the index directory " + root->string() + " does not exist (check --index-url)");
  }
  // A file:// index is a tree of static pages: prefer the JSON one, as content negotiation would.
  const std::filesystem::path dir = *root / name;
  for (auto [file, format] : {std::pair{"index.json", Format::json}, std::pair{"index.html", Format::html}}) {
    const std::filesystem::path page = dir / file;
    if (!std::filesystem::is_regular_file(page, ec)) continue;
    const std::string url = path_to_file_url(page);
    const std::string body = read_whole(page);
    return from_page(name, format == Format::json, body, "", url, nullptr);
  }
  return Listing{};  // PEP 503: no page, no project
}

ListingSource::Listing SimpleIndexSource::read_response(const std::string& name, const std::string& url,
                                                        std::shared_future<HttpResponse>& future) {
  HttpResponse r;
  try {
    // Moved out, not copied: each HttpClient::submit makes a shared state of its own, and this future
    // is the only one left of it (listing() took it out of pending_). A page's annex, its parsed
    // listing, is up to megabytes.
    r = std::move(const_cast<HttpResponse&>(future.get()));
  } catch (const NetError& e) {
    if (e.not_found()) return Listing{};  // the index does not have the project
    throw IndexError(e.what());
  }
  const std::string page_url = r.url.empty() ? url : r.url;
  if (r.body_omitted) {
    // A fresh cached page without its body: its digest, or the page again with its body.
    if (auto listing = from_digest(name, r, page_url)) return std::move(*listing);
    HttpRequest again = page_request(name);
    again.cached_body_optional = false;
    again.urgent = true;
    std::shared_future<HttpResponse> whole = client_.submit(std::move(again));
    return read_response(name, url, whole);
  }
  auto format = format_of(r.header("content-type").value_or(""), r.body);
  if (!format) {
    throw IndexError("the index page " + redact_url(page_url) + " has an unexpected Content-Type \"" +
                     std::string(r.header("content-type").value_or("")) + "\" (expected a PEP 503/691 page)");
  }
  return from_page(name, *format == Format::json, r.body, r.body_sha256, page_url, &r);
}

bool SimpleIndexSource::uses_digests(const std::string& url) const {
  // --exclude-newer drops files before they are grouped: such listings are neither read nor kept.
  // Nor are those of a page whose URL carries credentials: its relative links resolve to URLs that
  // carry them too, and nothing in the cache may hold a password.
  return !settings_.exclude_newer && digests_.enabled() && !has_userinfo(url);
}

// A page from an HTTP index keeps its digest in its own cache entry (the annex, read with the page's
// head); a page of a file:// index, which the HTTP cache does not hold, in the cache's derived store.
// A page the HTTP cache does not keep (no-store) has none.
std::optional<ListingSource::Listing> SimpleIndexSource::load_digest(const PageIdentity& page, HttpResponse* response) {
  std::optional<std::vector<Candidate>> candidates;
  if (response == nullptr) {
    candidates = digests_.load(page, settings_.position);
  } else if (response->cached_page && !response->annex.empty()) {
    candidates = decode_listing(page, std::move(response->annex), settings_.position);
  }
  if (!candidates) return std::nullopt;
  return Listing{true, std::move(*candidates)};
}

void SimpleIndexSource::store_digest(const PageIdentity& page, const std::string* digest, const HttpResponse* response) {
  if (response == nullptr) {
    if (digest != nullptr) digests_.store(page, *digest);
  } else if (digest != nullptr) {
    client_.store_annex(page_request(std::string(page.project)), *response, *digest);
  } else if (response->store_pending) {
    client_.store_annex(page_request(std::string(page.project)), *response, "");  // the page alone
  }
}

std::optional<ListingSource::Listing> SimpleIndexSource::from_digest(const std::string& name, HttpResponse& head,
                                                                     const std::string& url) {
  // Without the body, a page without a Content-Type cannot tell its format: read it whole.
  const auto format = format_of(head.header("content-type").value_or(""), "");
  if (!format || head.header("content-type").value_or("").empty() || head.body_sha256.empty() ||
      !uses_digests(url)) {
    return std::nullopt;
  }
  return load_digest(PageIdentity{name, url, *format == Format::json ? 'j' : 'h', head.body_sha256}, &head);
}

ListingSource::Listing SimpleIndexSource::from_page(const std::string& name, bool json, std::string_view body,
                                                    std::string_view body_sha256, const std::string& url,
                                                    HttpResponse* response) {
  const bool use_digest = uses_digests(url);
  std::string hashed;
  if (use_digest && body_sha256.empty()) body_sha256 = hashed = sha256_hex(body);
  const PageIdentity page{name, url, json ? 'j' : 'h', body_sha256};
  if (use_digest) {
    if (auto listing = load_digest(page, response)) return std::move(*listing);
  }
  Listing listing = finish(name, json ? parse_json_page(body, url, name) : parse_html_page(body, url, name));
  if (!use_digest) {
    // A page that cannot have a digest is still stored (without one) if the client left it to us.
    store_digest(page, nullptr, response);
    return listing;
  }
  std::string digest = encode_listing(page, listing.candidates);
  store_digest(page, &digest, response);
  // The parsed files give way to the digest just made, read in place as the next run will read it: a
  // page's DistFiles (URLs, hashes and tags as strings) take several times the memory of its digest,
  // and a resolution reads the files of about one release per project. Cold and warm runs then also
  // see one and the same listing.
  if (auto compact = decode_listing(page, std::move(digest), settings_.position)) {
    listing.candidates = std::move(*compact);
  }
  return listing;
}

ListingSource::Listing SimpleIndexSource::finish(const std::string& name, ProjectPage page) {
  std::size_t undated = 0;
  std::vector<DistFile> kept;
  kept.reserve(page.files.size());
  for (auto& f : page.files) {
    f.index_position = settings_.position;
    if (settings_.exclude_newer) {
      // PEP 700 upload-time. As uv resolves from an index: a file uploaded at or after the cutoff is
      // excluded, and so is a file whose upload time is unknown (the cutoff cannot be shown to hold).
      auto t = f.upload_time ? parse_timestamp(*f.upload_time) : std::nullopt;
      if (!t) {
        ++undated;
        continue;
      }
      if (*t >= *settings_.exclude_newer) continue;
    }
    kept.push_back(std::move(f));
  }
  if (undated != 0) {
    std::lock_guard lock(warnings_mu_);
    warnings_.push_back(std::to_string(undated) + " file(s) of " + name + " on " + describe() +
                        " have no upload time; --exclude-newer " + settings_.exclude_newer_text + " leaves them out");
  }
  return Listing{true, group_candidates(name, std::move(kept))};
}

std::shared_ptr<const CoreMetadata> SimpleIndexSource::metadata(const Candidate& candidate, const DistFile& file) {
  return fetcher_.get(candidate, file);
}

void SimpleIndexSource::prefetch_metadata(const Candidate& candidate, const DistFile& file) {
  fetcher_.prefetch(candidate, file);
}

std::vector<std::string> SimpleIndexSource::take_warnings() {
  std::vector<std::string> out;
  {
    std::lock_guard lock(warnings_mu_);
    out.swap(warnings_);
  }
  for (auto& w : fetcher_.take_warnings()) out.push_back(std::move(w));
  return out;
}

}  // namespace thoth::idx
