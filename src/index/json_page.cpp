// PEP 691 JSON project pages, with PEP 700 (versions, size, upload-time) and PEP 714 (core-metadata).
#include <rapidjson/document.h>

#include <string>

#include "index/dist_files.hpp"
#include "index/page_common.hpp"
#include "index/url.hpp"
#include "thoth/index.hpp"
#include "thoth/json_text.hpp"
#include "thoth/net.hpp"
#include "base/link.hpp"
#include "base/ascii.hpp"

namespace thoth {
namespace {

using Value = rapidjson::Value;

[[noreturn]] void malformed(std::string_view page_url, const std::string& what) {
  throw IndexError("malformed index page " + redact_url(page_url) + ": " + what);
}


std::string_view str(const Value& v) { return std::string_view(v.GetString(), v.GetStringLength()); }

const Value* member(const Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::map<std::string, std::string> hash_map(const Value& v, std::string_view page_url, std::size_t i,
                                            const char* field) {
  auto where = [&] { return "files[" + std::to_string(i) + "]" + field; };
  if (!v.IsObject()) malformed(page_url, where() + " is not an object");
  std::map<std::string, std::string> out;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (!it->value.IsString()) malformed(page_url, where() + "." + std::string(str(it->name)) + " is not a string");
    std::string key(str(it->name)), hex(str(it->value));
    for (auto& c : key) c = base::ascii_lower(c);
    for (auto& c : hex) c = base::ascii_lower(c);
    out[std::move(key)] = std::move(hex);
  }
  return out;
}

// The members of one file object, found in a single pass over it.
struct FileFields {
  const Value* url = nullptr;
  const Value* filename = nullptr;
  const Value* hashes = nullptr;
  const Value* requires_python = nullptr;
  const Value* yanked = nullptr;
  const Value* core_metadata = nullptr;
  const Value* dist_info_metadata = nullptr;
  const Value* upload_time = nullptr;
  const Value* size = nullptr;
};

FileFields fields_of(const Value& f) {
  FileFields r;
  for (auto it = f.MemberBegin(); it != f.MemberEnd(); ++it) {
    const std::string_view key = str(it->name);
    const Value* v = &it->value;
    if (key == "url") r.url = v;
    else if (key == "filename") r.filename = v;
    else if (key == "hashes") r.hashes = v;
    else if (key == "requires-python") r.requires_python = v;
    else if (key == "yanked") r.yanked = v;
    else if (key == "core-metadata") r.core_metadata = v;
    else if (key == "dist-info-metadata") r.dist_info_metadata = v;
    else if (key == "upload-time") r.upload_time = v;
    else if (key == "size") r.size = v;
  }
  return r;
}

void read_file(const Value& f, std::size_t i, std::string_view page_url, std::string_view project, ProjectPage& page) {
  // Error messages only: built when something is wrong.
  auto where = [i](const char* field) { return "files[" + std::to_string(i) + "]" + field; };
  if (!f.IsObject()) malformed(page_url, where("") + " is not an object");
  const FileFields m = fields_of(f);
  if (m.url == nullptr || !m.url->IsString()) malformed(page_url, where(".url") + " is missing or not a string");
  std::string url = idx::quote_url(idx::join_url(page_url, str(*m.url)));
  const std::size_t hash = url.find('#');
  std::string_view bare = std::string_view(url).substr(0, hash);

  std::string filename;
  if (m.filename != nullptr) {
    if (!m.filename->IsString()) malformed(page_url, where(".filename") + " is not a string");
    filename = std::string(str(*m.filename));
  } else {
    filename = base::url_filename(bare);
  }
  auto file = idx::make_dist_file(std::move(filename), std::string(), project);
  if (!file) return;

  // PEP 691: "hashes" maps hashlib names to hex digests; a fragment hash fills in a missing name.
  if (m.hashes != nullptr) file->hashes = hash_map(*m.hashes, page_url, i, ".hashes");
  if (hash != std::string::npos) {
    for (auto& [k, v] : base::fragment_hashes(std::string_view(url).substr(hash + 1))) file->hashes.emplace(k, v);
    url.resize(hash);
  }
  file->url = std::move(url);

  if (const Value* rp = m.requires_python) {
    if (rp->IsString()) {
      file->requires_python = std::string(str(*rp));
    } else if (!rp->IsNull()) {
      malformed(page_url, where(".requires-python") + " is not a string");
    }
  }
  // PEP 691/592: yanked is a boolean or a reason string (a string means yanked, even "").
  if (const Value* y = m.yanked) {
    if (y->IsString()) {
      file->yanked = std::string(str(*y));
    } else if (y->IsBool()) {
      if (y->GetBool()) file->yanked = std::string();
    } else if (!y->IsNull()) {
      malformed(page_url, where(".yanked") + " is neither a boolean nor a string");
    }
  }
  // PEP 714: "core-metadata", else the older "dist-info-metadata"; a boolean or a hash object.
  const Value* meta = m.core_metadata != nullptr ? m.core_metadata : m.dist_info_metadata;
  if (meta != nullptr) {
    if (meta->IsBool()) {
      if (meta->GetBool()) file->core_metadata = std::map<std::string, std::string>{};
    } else if (meta->IsObject()) {
      file->core_metadata = hash_map(*meta, page_url, i, ".core-metadata");
    } else if (!meta->IsNull()) {
      malformed(page_url, where(".core-metadata") + " is neither a boolean nor an object");
    }
  }
  // PEP 700: upload-time (ISO 8601) and size.
  if (const Value* t = m.upload_time) {
    if (t->IsString()) {
      file->upload_time = std::string(str(*t));
    } else if (!t->IsNull()) {
      malformed(page_url, where(".upload-time") + " is not a string");
    }
  }
  if (const Value* sz = m.size) {
    if (sz->IsUint64()) {
      file->size = sz->GetUint64();
    } else if (!sz->IsNull()) {
      malformed(page_url, where(".size") + " is not a non-negative integer");
    }
  }
  page.files.push_back(std::move(*file));
}

}  // namespace

ProjectPage parse_json_page(std::string_view json, std::string_view page_url, std::string_view project) {
  JsonDocument parsed;
  if (std::string error = parse_json(json, parsed); !error.empty()) malformed(page_url, error);
  const rapidjson::Document& doc = parsed.doc;
  if (!doc.IsObject()) malformed(page_url, "the document is not a JSON object");

  ProjectPage page;
  // PEP 691: meta.api-version is required; a client must fail on a major version it does not know.
  const Value* meta = member(doc, "meta");
  const Value* api = meta != nullptr && meta->IsObject() ? member(*meta, "api-version") : nullptr;
  if (api == nullptr || !api->IsString()) malformed(page_url, "meta.api-version is missing or not a string");
  page.api_version = std::string(str(*api));
  if (page.api_version.empty()) malformed(page_url, "meta.api-version is empty");
  idx::check_api_version(page.api_version, page_url);

  const Value* files = member(doc, "files");
  if (files == nullptr || !files->IsArray()) malformed(page_url, "\"files\" is missing or not an array");
  page.files.reserve(files->Size());
  for (rapidjson::SizeType i = 0; i < files->Size(); ++i) read_file((*files)[i], i, page_url, project, page);

  if (const Value* versions = member(doc, "versions")) {
    if (!versions->IsArray()) malformed(page_url, "\"versions\" is not an array");
    for (const auto& v : versions->GetArray()) {
      if (!v.IsString()) malformed(page_url, "\"versions\" holds a non-string");
      page.versions.emplace_back(str(v));
    }
  }
  return page;
}

}  // namespace thoth
