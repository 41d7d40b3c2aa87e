// The PackageSource implementations: one simple index (HTTP or file://), one find-links location
// (directory, HTML file or page URL), and the composite over several that build_source() returns.
#pragma once

#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "index/listing_digest.hpp"
#include "index/metadata_fetcher.hpp"
#include "thoth/index.hpp"
#include "thoth/net.hpp"

namespace thoth::idx {

struct SourceSettings {
  std::size_t position = 0;                    // stamped on every DistFile as index_position
  std::optional<std::int64_t> exclude_newer;   // ms since the epoch: keep files uploaded before it
  std::string exclude_newer_text;              // as the user wrote it, for messages
};

// A source the composite can ask whether it knows a project at all (the first-index strategy needs
// "this index has the project" even when none of its files are usable).
class ListingSource : public PackageSource {
 public:
  struct Listing {
    bool found = false;  // the project page exists / the location has files of the project
    std::vector<Candidate> candidates;
  };

  // Read once per name and kept: the reference stays valid as long as the source.
  virtual const Listing& listing(std::string_view name) = 0;
  // The (redacted) URL or path, for messages.
  virtual std::string describe() const = 0;

  const std::vector<Candidate>& candidates(std::string_view name) override { return listing(name).candidates; }
};

// One PEP 503/691 simple index. HTTP(S) pages are asked for with PEP 691 content negotiation (JSON
// preferred); a file:// index is a directory tree whose <name>/index.json or <name>/index.html is read.
class SimpleIndexSource : public ListingSource {
 public:
  SimpleIndexSource(std::string index_url, HttpClient& client, SourceSettings settings);
  ~SimpleIndexSource() override;

  const Listing& listing(std::string_view name) override;
  std::string describe() const override;
  std::shared_ptr<const CoreMetadata> metadata(const Candidate& candidate, const DistFile& file) override;
  void prefetch_candidates(std::string_view name) override;
  void prefetch_metadata(const Candidate& candidate, const DistFile& file) override;
  std::vector<std::string> take_warnings() override;

 private:
  Listing read_local(const std::string& name);
  // `future` must be the only future of its request (its response is moved out of it).
  Listing read_response(const std::string& name, const std::string& url, std::shared_future<HttpResponse>& future);
  // Sends the pages asked for ahead to a parse-ahead thread from now on.
  void start_parsing_ahead();
  void parse_ahead(const std::string& name, std::shared_future<HttpResponse> future);
  // The listing of one page body: from its digest when one was made from this very body, else parsed
  // (and a digest written for the next run). `body_sha256` is the body's hash when the client knows
  // it already (hashed here when empty); `response` is the HTTP response the body came in, if any.
  Listing from_page(const std::string& name, bool json, std::string_view body, std::string_view body_sha256,
                    const std::string& url, HttpResponse* response);
  Listing finish(const std::string& name, ProjectPage page);
  HttpRequest page_request(const std::string& name) const;
  bool uses_digests(const std::string& url) const;
  std::optional<Listing> load_digest(const PageIdentity& page, HttpResponse* response);
  // Keeps `digest` (encode_listing; none: only stores a page the client left to us, see
  // HttpRequest::annex_follows) with the page, or in the derived store for a page the client does not keep.
  void store_digest(const PageIdentity& page, const std::string* digest, const HttpResponse* response);
  // The listing of a fresh cached page answered without its body (HttpResponse::body_omitted), from
  // the digest of that body; nullopt when there is none to use.
  std::optional<Listing> from_digest(const std::string& name, HttpResponse& head, const std::string& url);

  std::string index_url_;  // with a trailing '/'
  bool local_;
  HttpClient& client_;
  SourceSettings settings_;
  MetadataFetcher fetcher_;
  ListingDigests digests_;
  std::map<std::string, Listing> listings_;
  std::map<std::string, std::shared_future<HttpResponse>> pending_;
  std::mutex warnings_mu_;  // finish() may run on the parse-ahead thread
  std::vector<std::string> warnings_;
  // Stops the page requests still running when the source goes (the parse-ahead thread may be
  // waiting for one).
  std::stop_source cancel_;
  // Started when the first page comes from the network (a cold page: parsing it is the work worth a
  // second thread); then the pages asked for ahead go there. Last: destroyed (joined) first.
  std::unique_ptr<class ParseAhead> ahead_;
};

// pip's --find-links: a local directory of distributions, a local HTML file, or an HTML page URL whose
// anchors are distributions of any project. Read once, then filtered per project.
class FindLinksSource : public ListingSource {
 public:
  FindLinksSource(std::string location, HttpClient& client, SourceSettings settings);

  const Listing& listing(std::string_view name) override;
  std::string describe() const override;
  std::shared_ptr<const CoreMetadata> metadata(const Candidate& candidate, const DistFile& file) override;
  void prefetch_candidates(std::string_view name) override;
  void prefetch_metadata(const Candidate& candidate, const DistFile& file) override;
  std::vector<std::string> take_warnings() override;

 private:
  void load();

  std::string location_;  // a URL (http(s) or file://) or a path
  HttpClient& client_;
  SourceSettings settings_;
  MetadataFetcher fetcher_;
  std::optional<std::vector<DistFile>> files_;
  std::optional<std::shared_future<HttpResponse>> pending_;
  std::map<std::string, Listing> listings_;
};

// Several sources: indexes in priority order, then find-links locations (always merged, as pip does).
// Children must have been built with their position in this order (indexes first). A project of
// `restricted` (normalised name -> the position of its one index, kNoSource for none) is asked of
// that index alone.
class CompositeSource : public PackageSource {
 public:
  static constexpr std::size_t kNoSource = static_cast<std::size_t>(-1);

  CompositeSource(std::vector<std::unique_ptr<ListingSource>> indexes,
                  std::vector<std::unique_ptr<ListingSource>> find_links, IndexStrategy strategy,
                  std::map<std::string, std::size_t> restricted = {});

  const std::vector<Candidate>& candidates(std::string_view name) override;
  std::shared_ptr<const CoreMetadata> metadata(const Candidate& candidate, const DistFile& file) override;
  void prefetch_candidates(std::string_view name) override;
  void prefetch_metadata(const Candidate& candidate, const DistFile& file) override;
  std::vector<std::string> take_warnings() override;

 private:
  ListingSource& owner(const DistFile& file);
  // Projects found in several locations: their files regrouped into one list.
  std::map<std::string, std::vector<Candidate>> merged_;

  std::vector<std::unique_ptr<ListingSource>> sources_;  // position order
  std::size_t index_count_;
  IndexStrategy strategy_;
  std::map<std::string, std::size_t> restricted_;
};

}  // namespace thoth::idx
