// PEP 503 project pages, with PEP 592 (yanked), PEP 629 (repository version) and PEP 658/714
// (core metadata) attributes.
#include <string>

#include "index/dist_files.hpp"
#include "index/html_entities.hpp"
#include "index/html_scan.hpp"
#include "index/page_common.hpp"
#include "index/url.hpp"
#include "thoth/index.hpp"
#include "thoth/net.hpp"
#include "base/link.hpp"

namespace thoth {
namespace {

// The attributes of every anchor live in one flat vector (views into the page), each anchor being a
// range of it: no per-anchor allocation.
struct AttributeRange {
  const idx::HtmlAttribute* begin;
  const idx::HtmlAttribute* end;

  const idx::HtmlAttribute* find(std::string_view lower_name) const {
    for (auto* a = begin; a != end; ++a)
      if (idx::iequals_ascii(a->name, lower_name)) return a;
    return nullptr;
  }
  std::optional<std::string> decoded(std::string_view lower_name) const {
    const idx::HtmlAttribute* a = find(lower_name);
    if (a == nullptr) return std::nullopt;
    return idx::decode_entities(a->value);
  }
};

AttributeRange range_of(const idx::HtmlTag& tag) {
  return {tag.attributes.data(), tag.attributes.data() + tag.attributes.size()};
}

bool is_url_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'; }

}  // namespace

ProjectPage parse_html_page(std::string_view html, std::string_view page_url, std::string_view project) {
  ProjectPage page;
  idx::HtmlScanner scanner(html);
  // Anchors are resolved after the whole page is read: the first <base href> applies to all of them,
  // wherever it appears (as pip's HTMLLinkParser does).
  std::vector<idx::HtmlAttribute> attributes;
  std::vector<std::pair<std::size_t, std::size_t>> anchors;  // [first, last) in `attributes`
  // Typical pages spend ~100 bytes per anchor; reserving up front avoids regrowing big vectors.
  attributes.reserve(html.size() / 64);
  anchors.reserve(html.size() / 256);
  std::optional<std::string> base;
  idx::HtmlTag tag;
  while (scanner.next(tag)) {
    if (idx::iequals_ascii(tag.name, "a")) {
      if (tag.find("href") == nullptr) continue;
      anchors.emplace_back(attributes.size(), attributes.size() + tag.attributes.size());
      attributes.insert(attributes.end(), tag.attributes.begin(), tag.attributes.end());
    } else if (idx::iequals_ascii(tag.name, "base")) {
      if (!base) base = range_of(tag).decoded("href");
    } else if (idx::iequals_ascii(tag.name, "meta")) {
      auto name = range_of(tag).decoded("name");
      if (name && *name == "pypi:repository-version") {
        page.api_version = range_of(tag).decoded("content").value_or("");
        idx::check_api_version(page.api_version, page_url);
      }
    }
  }
  if (scanner.truncated()) {
    throw IndexError("the index page " + redact_url(page_url) + " ends inside a tag (truncated or not HTML)");
  }

  // HTML §4.2.3: a relative <base href> is itself resolved against the document's URL.
  const std::string base_url = base ? idx::join_url(page_url, *base) : std::string(page_url);
  page.files.reserve(anchors.size());
  for (const auto& [first, last] : anchors) {
    const AttributeRange a{attributes.data() + first, attributes.data() + last};
    // HTML attribute values are stripped of surrounding whitespace when used as URLs.
    std::string_view raw = a.find("href")->value;
    while (!raw.empty() && is_url_space(raw.back())) raw.remove_suffix(1);
    while (!raw.empty() && is_url_space(raw.front())) raw.remove_prefix(1);
    if (raw.empty()) continue;  // pip ignores anchors with an empty href

    std::string url = idx::quote_url(idx::join_url(base_url, idx::decode_entities(raw)));
    const std::size_t hash = url.find('#');
    std::string_view bare = std::string_view(url).substr(0, hash);
    auto file = idx::make_dist_file(base::url_filename(bare), std::string(), project);
    if (!file) continue;
    // PEP 503: the URL's fragment may carry "<hashname>=<hex>".
    if (hash != std::string::npos) {
      file->hashes = base::fragment_hashes(std::string_view(url).substr(hash + 1));
      url.resize(hash);
    }
    file->url = std::move(url);
    // PEP 503: data-requires-python, entity-decoded ("&gt;=3.8").
    if (auto rp = a.decoded("data-requires-python")) file->requires_python = std::move(*rp);
    // PEP 592: the attribute's presence marks the file yanked; its value is the reason.
    if (auto y = a.decoded("data-yanked")) file->yanked = std::move(*y);
    // PEP 714: data-core-metadata, falling back to PEP 658's data-dist-info-metadata.
    auto meta = a.decoded("data-core-metadata");
    if (!meta) meta = a.decoded("data-dist-info-metadata");
    if (meta) file->core_metadata = idx::parse_core_metadata_attribute(*meta);
    page.files.push_back(std::move(*file));
  }
  return page;
}

}  // namespace thoth
