// The pages of a static simple repository: PEP 503 HTML and PEP 691 JSON, both at repository
// version 1.1 (PEP 629 / PEP 700), with PEP 658/714 metadata files announced for wheels.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "index/mirror.hpp"
#include "index/url.hpp"

namespace thoth::idx {
namespace {

// PEP 700 raised the version to 1.1 (size and versions in JSON); the HTML pages say the same, as
// PyPI's do. PEP 629: HTML carries it in a meta element, JSON in meta.api-version (PEP 691).
constexpr std::string_view kRepositoryVersion = "1.1";

std::string file_url(std::string_view files_prefix, const MirrorFile& f) {
  std::string url(files_prefix);
  append_encoded_path(url, f.filename);
  return url;
}

std::string html_head(std::string_view title) {
  std::string out = "<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"";
  out.append(kRepositoryVersion);
  out.append("\">\n    <title>");
  out.append(html_escape(title));
  out.append("</title>\n  </head>\n  <body>\n");
  return out;
}

constexpr std::string_view kHtmlTail = "  </body>\n</html>\n";

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void put_key(JsonWriter& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
void put_string(JsonWriter& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

void json_meta(JsonWriter& w) {
  put_key(w, "meta");
  w.StartObject();
  put_key(w, "api-version");
  put_string(w, kRepositoryVersion);
  w.EndObject();
}

// {"sha256": hex}: the form of PEP 691 "hashes" and of a PEP 714 "core-metadata" object.
void sha256_object(JsonWriter& w, std::string_view hex) {
  w.StartObject();
  put_key(w, "sha256");
  put_string(w, hex);
  w.EndObject();
}

std::string finish(const rapidjson::StringBuffer& buffer) {
  std::string out(buffer.GetString(), buffer.GetSize());
  out.push_back('\n');
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '"': out.append("&quot;"); break;
      case '\'': out.append("&#x27;"); break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string project_html(std::string_view project, const std::vector<const MirrorFile*>& files,
                         std::string_view files_prefix) {
  std::string title = "Links for " + std::string(project);
  std::string out = html_head(title);
  out.append("    <h1>").append(html_escape(title)).append("</h1>\n");
  for (const MirrorFile* f : files) {
    // PEP 503: the file's hash as a URL fragment, Requires-Python HTML-escaped in an attribute.
    out.append("    <a href=\"").append(html_escape(file_url(files_prefix, *f)));
    out.append("#sha256=").append(f->sha256).append("\"");
    if (!f->requires_python.empty()) {
      out.append(" data-requires-python=\"").append(html_escape(f->requires_python)).append("\"");
    }
    if (!f->metadata_sha256.empty()) {
      // PEP 714 renamed PEP 658's attribute to data-core-metadata; the old name stays for the pip
      // versions that know only it (PEP 714, "Backwards Compatibility").
      out.append(" data-dist-info-metadata=\"sha256=").append(f->metadata_sha256).append("\"");
      out.append(" data-core-metadata=\"sha256=").append(f->metadata_sha256).append("\"");
    }
    out.append(">").append(html_escape(f->filename)).append("</a><br>\n");
  }
  out.append(kHtmlTail);
  return out;
}

std::string project_json(std::string_view project, const std::vector<const MirrorFile*>& files,
                         std::string_view files_prefix) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  json_meta(w);
  put_key(w, "name");
  put_string(w, project);
  put_key(w, "files");
  w.StartArray();
  for (const MirrorFile* f : files) {
    w.StartObject();
    put_key(w, "filename");
    put_string(w, f->filename);
    put_key(w, "url");
    put_string(w, file_url(files_prefix, *f));
    put_key(w, "hashes");
    sha256_object(w, f->sha256);
    if (!f->requires_python.empty()) {
      put_key(w, "requires-python");
      put_string(w, f->requires_python);
    }
    if (!f->metadata_sha256.empty()) {
      // PEP 714: only "core-metadata". The older "dist-info-metadata" key holding an object makes
      // pip before 23.2 fail on the whole page (it expected a string there).
      put_key(w, "core-metadata");
      sha256_object(w, f->metadata_sha256);
    }
    put_key(w, "size");  // PEP 700; "upload-time" is optional and unknown here, so left out
    w.Uint64(f->size);
    w.EndObject();
  }
  w.EndArray();
  // PEP 700: every version the project has, including those whose files are all unusable.
  put_key(w, "versions");
  w.StartArray();
  const MirrorFile* previous = nullptr;
  for (const MirrorFile* f : files) {
    if (previous == nullptr || previous->version != f->version) put_string(w, f->version.str());
    previous = f;
  }
  w.EndArray();
  w.EndObject();
  return finish(buffer);
}

std::string root_html(const std::vector<std::string>& projects) {
  std::string out = html_head("Simple index");
  for (const std::string& p : projects) {
    // PEP 503: the root lists every project, linked to its page by the normalised name.
    std::string href;
    append_encoded_path(href, p);
    out.append("    <a href=\"").append(html_escape(href)).append("/\">").append(html_escape(p)).append("</a><br>\n");
  }
  out.append(kHtmlTail);
  return out;
}

std::string root_json(const std::vector<std::string>& projects) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  json_meta(w);
  put_key(w, "projects");
  w.StartArray();
  for (const std::string& p : projects) {
    w.StartObject();
    put_key(w, "name");
    put_string(w, p);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return finish(buffer);
}

}  // namespace thoth::idx
