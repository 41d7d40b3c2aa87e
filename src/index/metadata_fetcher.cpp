#include "index/metadata_fetcher.hpp"

#include <ctime>

#include "index/dist_files.hpp"
#include "index/http_byte_source.hpp"
#include "index/url.hpp"
#include "thoth/archive.hpp"
#include "thoth/hash.hpp"
#include "thoth/http_cache.hpp"
#include "base/url_text.hpp"
#include "base/ascii.hpp"

namespace thoth::idx {
namespace {

std::string version_key(const Candidate& c) { return c.name + " " + c.version.str(); }

// The on-disk cache entry holding a wheel's METADATA once read by ranges: keyed by the wheel's own
// sha256, so it is as immutable as the wheel.
std::string wheel_metadata_key(std::string_view wheel_sha256) {
  return HttpCache::page_key("thoth:wheel-metadata:sha256:" + std::string(wheel_sha256), "");
}

// PEP 658 allows any hashlib name for the sidecar's hash; sha256 is checked by the HTTP client, the
// others here (those digest_hex knows; there is nothing to check the rest with).
void verify_other_hashes(std::string_view body, const std::map<std::string, std::string>& hashes,
                         const std::string& url) {
  for (const auto& [name, hex] : hashes) {
    if (name == "sha256") continue;
    const std::optional<std::string> got = digest_hex(name, body);
    if (got && *got != base::ascii_lower(hex)) {
      throw IndexError(redact_url(url) + ": the metadata file does not match the " + name + " the index gives for it");
    }
  }
}

CoreMetadata parse_metadata(const std::string& text, const std::string& label) {
  try {
    return CoreMetadata::parse(text);
  } catch (const MetadataError& e) {
    throw IndexError(label + ": " + e.what());
  }
}

// A status with which the server refuses the range itself, where a plain GET of the same URL can
// still work: 405, 416, 501, or another 4xx such as 400 (pip's lazy wheel downloads the whole wheel
// when a server does not do ranges; uv falls back the same way). Not a missing file (404/410), a
// refused login (401/403/407), or a busy or broken server (429, 5xx other than 501): a download
// would get the same answer.
bool refuses_ranges(const NetError& e) {
  if (e.kind() != NetError::Kind::http_status) return false;
  const long s = e.status();
  if (e.not_found() || s == 401 || s == 403 || s == 407 || s == 429) return false;
  return s == 501 || (s >= 400 && s < 500);
}

// The temporary download of a file, removed when done with.
class TempFile {
 public:
  explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~TempFile() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

IndexError download_error(const DistFile& file, const NetError& e) {
  if (e.kind() == NetError::Kind::hash_mismatch) {
    return IndexError(redact_url(file.url) + ": the download does not match the sha256 the index gives for it");
  }
  return IndexError(e.what());
}

}  // namespace

HttpRequest MetadataFetcher::sidecar_request(const DistFile& file) const {
  // PEP 658: the metadata file is at the distribution's URL with ".metadata" appended.
  HttpRequest r(file.url + ".metadata");
  if (file.core_metadata) {
    auto it = file.core_metadata->find("sha256");
    if (it != file.core_metadata->end() && is_sha256_hex(it->second)) {
      r.sha256 = base::ascii_lower(it->second);
      r.cache = CachePolicy::immutable;
    }
  }
  r.max_body = kMaxMetadataBytes;  // the cap of a METADATA member read from a wheel, for the same text
  return r;
}

HttpRequest MetadataFetcher::download_request(const DistFile& file) {
  HttpRequest r(file.url);
  r.save_to = client_.scratch_file(file.filename);
  const std::string sha = file.sha256();
  if (is_sha256_hex(sha)) {
    r.sha256 = base::ascii_lower(sha);
    r.cache = CachePolicy::immutable;
  } else {
    r.cache = CachePolicy::no_store;
  }
  return r;
}

void MetadataFetcher::prefetch(const Candidate& candidate, const DistFile& file) {
  const std::string key = version_key(candidate);
  if (done_.count(key) || failed_.count(key) || pending_.count(key)) return;
  try {
    if (file.core_metadata) {
      pending_[key] = Pending{Step::sidecar, client_.submit(sidecar_request(file)), {}, {}};
      return;
    }
    if (base::file_url_to_path(file.url)) return;  // read in place, nothing to overlap
    if (file.kind == DistFile::Kind::Wheel) {
      const auto& cache = client_.options().cache;
      const std::string sha = file.sha256();
      if (cache && is_sha256_hex(sha)) {
        if (auto stored = cache->load_page(wheel_metadata_key(base::ascii_lower(sha)))) {
          pending_[key] = Pending{Step::cached, {}, {}, std::move(stored->body)};
          return;
        }
      }
      if (!no_ranges_.count(origin_of(file.url))) {
        pending_[key] = Pending{Step::wheel_tail, client_.submit(tail_request(file.url, kPrefetchTail)), {}, {}};
        return;
      }
    }
    HttpRequest r = download_request(file);
    auto saved = r.save_to;
    pending_[key] = Pending{Step::download, client_.submit(std::move(r)), saved, {}};
  } catch (...) {
    // A hint only: whatever went wrong happens again, and is reported, on the real call.
  }
}

std::optional<MetadataFetcher::Pending> MetadataFetcher::take_pending(const std::string& key) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return std::nullopt;
  std::optional<Pending> p = std::move(it->second);
  pending_.erase(it);
  return p;
}

std::vector<std::string> MetadataFetcher::take_warnings() {
  std::vector<std::string> out;
  out.swap(warnings_);
  return out;
}

void MetadataFetcher::note_no_ranges(const DistFile& file, long status) {
  const std::string origin = origin_of(file.url);
  if (!no_ranges_.insert(origin).second) return;
  warnings_.push_back(redact_url(file.url) + ": the server refused a range request (HTTP " + std::to_string(status) +
                      "); wheels from " + origin + " are downloaded whole to read their metadata");
}

std::shared_ptr<const CoreMetadata> MetadataFetcher::get(const Candidate& candidate, const DistFile& file) {
  const std::string key = version_key(candidate);
  if (auto it = done_.find(key); it != done_.end()) return it->second;
  if (auto it = failed_.find(key); it != failed_.end()) throw IndexError(it->second);
  try {
    CoreMetadata meta = fetch(candidate, file);
    // pip discards a file whose metadata names another project or version than the link it came from
    // ("Discarding ...: Requested ... has inconsistent name/version"), and with it that version (its
    // one candidate per version): the resolver's catalog passes over the version, the user is told here.
    // The run goes on with the other versions.
    if (normalize_name(meta.name) != candidate.name || !(meta.version == candidate.version)) {
      warnings_.push_back(file.filename + ": its metadata is for " + meta.name + " " + meta.version.str() + ", not " +
                          candidate.name + " " + candidate.version.str() + "; version " + candidate.version.str() +
                          " is skipped");
    }
    return done_.emplace(key, std::make_shared<const CoreMetadata>(std::move(meta))).first->second;
  } catch (const IndexError& e) {
    failed_.emplace(key, e.what());
    throw;
  }
}

CoreMetadata MetadataFetcher::fetch(const Candidate& candidate, const DistFile& file) {
  std::optional<Pending> pending = take_pending(version_key(candidate));
  auto pending_for = [&](Step step) {
    std::optional<Pending> p;
    if (pending && pending->step == step) p = std::move(pending);
    pending.reset();
    return p;
  };
  if (file.core_metadata) {
    if (auto text = from_sidecar(file, pending_for(Step::sidecar))) {
      return parse_metadata(*text, redact_url(file.url + ".metadata"));
    }
  }
  if (file.kind == DistFile::Kind::Wheel) {
    return parse_metadata(from_wheel(file, std::move(pending)), file.filename);
  }
  return from_sdist(file, pending_for(Step::download));
}

std::optional<std::string> MetadataFetcher::from_sidecar(const DistFile& file, std::optional<Pending> pending) {
  HttpRequest request = sidecar_request(file);
  const std::string url = request.url;
  try {
    HttpResponse r;
    if (pending) {
      r = pending->future.get();
    } else {
      request.urgent = true;
      r = client_.get(std::move(request));
    }
    verify_other_hashes(r.body, *file.core_metadata, url);
    return std::move(r.body);
  } catch (const NetError& e) {
    // An index that announces a sidecar it does not serve: read the distribution itself instead.
    if (e.not_found()) return std::nullopt;
    if (e.kind() == NetError::Kind::hash_mismatch) {
      throw IndexError(redact_url(url) + ": the metadata file does not match the sha256 the index gives for it");
    }
    throw IndexError(e.what());
  }
}

std::string MetadataFetcher::from_wheel(const DistFile& file, std::optional<Pending> pending) {
  try {
    if (auto path = base::file_url_to_path(file.url)) {
      FileByteSource source(*path);
      ZipReader zip(source, path->string());
      return read_wheel_metadata(zip);
    }
    if (pending && pending->step == Step::cached) return std::move(pending->text);
    const auto& cache = client_.options().cache;
    const std::string sha = base::ascii_lower(file.sha256());
    const bool cacheable = cache && is_sha256_hex(sha);
    if (cacheable) {
      if (auto stored = cache->load_page(wheel_metadata_key(sha))) return std::move(stored->body);
    }
    std::string text;
    if (pending && pending->step == Step::download) {
      text = from_whole_wheel(file, std::move(pending));
    } else if (no_ranges_.count(origin_of(file.url))) {
      text = from_whole_wheel(file, std::nullopt);
    } else {
      try {
        text = from_wheel_ranges(file, std::move(pending));
      } catch (const NetError& e) {
        if (!refuses_ranges(e)) throw;
        note_no_ranges(file, e.status());
        text = from_whole_wheel(file, std::nullopt);
      }
    }
    if (cacheable) {
      CachedResponse entry;
      entry.headers = {{"cache-control", "max-age=31536000, immutable"}, {"content-type", "text/plain"}};
      entry.body = text;
      entry.url = redact_url(file.url);
      entry.stored_at = static_cast<std::int64_t>(std::time(nullptr));
      cache->store_page(wheel_metadata_key(sha), entry);
    }
    return text;
  } catch (const ArchiveError& e) {
    throw IndexError(e.what());
  } catch (const NetError& e) {
    throw download_error(file, e);
  }
}

std::string MetadataFetcher::from_wheel_ranges(const DistFile& file, std::optional<Pending> pending) {
  std::optional<std::shared_future<HttpResponse>> tail;
  if (pending && pending->step == Step::wheel_tail) tail = std::move(pending->future);
  const std::string sha = base::ascii_lower(file.sha256());
  HttpByteSource source(client_, file.url, is_sha256_hex(sha) ? sha : std::string(), std::move(tail));
  ZipReader zip(source, redact_url(file.url));
  return read_wheel_metadata(zip);
}

std::string MetadataFetcher::from_whole_wheel(const DistFile& file, std::optional<Pending> pending) {
  const TempFile wheel(download(file, std::move(pending)));
  FileByteSource source(wheel.path());
  ZipReader zip(source, redact_url(file.url));
  return read_wheel_metadata(zip);
}

std::filesystem::path MetadataFetcher::download(const DistFile& file, std::optional<Pending> pending) {
  // A failed download leaves no file behind (the client renames its temporary only on success).
  if (pending && pending->step == Step::download) {
    pending->future.get();
    return std::move(pending->saved);
  }
  HttpRequest r = download_request(file);
  r.urgent = true;
  std::filesystem::path saved = r.save_to;
  client_.get(std::move(r));
  return saved;
}

CoreMetadata MetadataFetcher::from_sdist(const DistFile& file, std::optional<Pending> pending) {
  try {
    std::optional<std::string> text;
    if (auto path = base::file_url_to_path(file.url)) {
      text = read_archive_member(*path, is_root_pkg_info, metadata_limits());
    } else {
      const TempFile archive(download(file, std::move(pending)));
      text = read_archive_member(archive.path(), is_root_pkg_info, metadata_limits());
    }
    if (!text) throw IndexError(file.filename + ": the sdist has no PKG-INFO");
    CoreMetadata meta = parse_metadata(*text, file.filename + " (PKG-INFO)");
    // PEP 643: only Metadata-Version >= 2.2 with static Requires-Dist/Requires-Python can be trusted
    // without running the build backend.
    if (!meta.dependencies_are_static()) {
      const bool dynamic = meta.is_dynamic("Requires-Dist") || meta.is_dynamic("Requires-Python");
      throw NeedsBuildError(file.filename + " needs a build to know its dependencies (" +
                            (dynamic ? std::string("its PKG-INFO declares them Dynamic")
                                     : "its PKG-INFO is Metadata-Version " +
                                           (meta.metadata_version.empty() ? "1.0" : meta.metadata_version) +
                                           "; static metadata needs 2.2, PEP 643") +
                            ")");
    }
    return meta;
  } catch (const NetError& e) {
    throw download_error(file, e);
  } catch (const ArchiveError& e) {
    throw IndexError(e.what());
  }
}

}  // namespace thoth::idx
