#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "index/dist_files.hpp"
#include "index/sources.hpp"
#include "index/url.hpp"
#include "base/url_text.hpp"

namespace thoth::idx {
namespace {

std::optional<std::filesystem::path> local_path(const std::string& location) {
  if (base::is_file_url(location)) return base::file_url_to_path(location);
  if (base::is_http_url(location)) return std::nullopt;
  return std::filesystem::path(location);
}

}  // namespace

FindLinksSource::FindLinksSource(std::string location, HttpClient& client, SourceSettings settings)
    : location_(std::move(location)), client_(client), settings_(std::move(settings)), fetcher_(client) {}

std::string FindLinksSource::describe() const { return redact_url(location_); }

void FindLinksSource::prefetch_candidates(std::string_view) {
  if (files_ || pending_ || !base::is_http_url(location_)) return;
  try {
    HttpRequest r(location_);
    r.max_body = kMaxPageBytes;
    r.headers.emplace_back("Accept", "text/html");
    pending_ = client_.submit(std::move(r));
  } catch (...) {
    // A hint only.
  }
}

void FindLinksSource::load() {
  std::vector<DistFile> files;
  if (auto path = local_path(location_)) {
    std::error_code ec;
    if (std::filesystem::is_directory(*path, ec)) {
      // pip lists the directory (not recursively); every distribution file is a link.
      std::vector<std::filesystem::path> entries;
      for (const auto& e : std::filesystem::directory_iterator(*path, ec)) {
        if (e.is_regular_file(ec)) entries.push_back(e.path());
      }
      std::sort(entries.begin(), entries.end());  // listing order is the file system's: fix it
      for (const auto& p : entries) {
        if (auto f = make_dist_file(p.filename().string(), path_to_file_url(p), "")) files.push_back(std::move(*f));
      }
    } else if (std::filesystem::is_regular_file(*path, ec)) {
      std::optional<std::string> text = read_file(*path, kMaxPageBytes);
      if (!text)
        throw IndexError("cannot read the find-links page " + path->string() + " (unreadable, or larger than " +
                         input_limit_text(kMaxPageBytes) + ")");
      files = parse_html_page(*text, path_to_file_url(*path), "").files;
    } else {
      throw IndexError("the find-links location " + path->string() + " does not exist");
    }
  } else {
    if (!pending_) prefetch_candidates("");
    if (!pending_) throw IndexError("cannot fetch the find-links page " + redact_url(location_));
    auto future = std::move(*pending_);
    pending_.reset();
    try {
      HttpResponse r = future.get();
      files = parse_html_page(r.body, r.url.empty() ? location_ : r.url, "").files;
    } catch (const NetError& e) {
      throw IndexError(e.what());
    }
  }
  for (auto& f : files) f.index_position = settings_.position;
  files_ = std::move(files);
}

const ListingSource::Listing& FindLinksSource::listing(std::string_view name) {
  std::string norm = normalize_name(name);
  if (auto it = listings_.find(norm); it != listings_.end()) return it->second;
  if (!files_) load();
  // Find-links locations carry no upload times, so --exclude-newer cannot apply to them: they are
  // kept, as uv keeps undated files of flat (find-links) indexes.
  std::vector<DistFile> mine;
  for (const auto& f : *files_) {
    if (file_version(f, norm)) mine.push_back(f);
  }
  Listing l{!mine.empty(), group_candidates(norm, std::move(mine))};
  return listings_.emplace(norm, std::move(l)).first->second;
}

std::shared_ptr<const CoreMetadata> FindLinksSource::metadata(const Candidate& candidate, const DistFile& file) {
  return fetcher_.get(candidate, file);
}

void FindLinksSource::prefetch_metadata(const Candidate& candidate, const DistFile& file) {
  fetcher_.prefetch(candidate, file);
}

std::vector<std::string> FindLinksSource::take_warnings() { return fetcher_.take_warnings(); }

}  // namespace thoth::idx
