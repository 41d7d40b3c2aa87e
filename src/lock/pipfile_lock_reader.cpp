// Reads a Pipfile.lock (pipfile-spec 6, as pipenv's Project.load_lockfile and `pipenv sync` read it)
// into a Lock of the categories asked for.
#include <algorithm>
#include <filesystem>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "thoth/json_text.hpp"
#include "thoth/lock.hpp"

namespace thoth {

namespace {

using JsonObject = rapidjson::Value;

class Reader {
 public:
  Reader(const std::string& path, const EnvironLookup& environ) : path_(path), environ_(environ) {}

  Lock read(std::string_view text, const std::vector<std::string>& categories) {
    JsonDocument parsed;  // depth-bounded (thoth/json_text.hpp)
    if (std::string error = parse_json(text, parsed); !error.empty()) fail(error);
    const rapidjson::Document& doc = parsed.doc;
    if (!doc.IsObject()) fail("not a Pipfile.lock (expected a JSON object)");
    auto meta = doc.FindMember("_meta");
    if (meta == doc.MemberEnd() || !meta->value.IsObject()) fail("\"_meta\" must be an object");
    auto spec = meta->value.FindMember("pipfile-spec");
    if (spec != meta->value.MemberEnd() && (!spec->value.IsInt() || spec->value.GetInt() > 6))
      fail("_meta.pipfile-spec must be a number up to 6 (this lock is from a newer pipenv)");
    read_sources(meta->value);

    Lock lock;
    lock.format = LockFormat::pipfile;
    Pipfile sources_only;
    sources_only.sources = sources_;
    lock.options.index = pipfile_index_options(sources_only, environ_);
    for (const std::string& category : categories) {
      auto section = doc.FindMember(category.c_str());
      if (section == doc.MemberEnd()) continue;  // pipenv treats a missing category as empty
      if (!section->value.IsObject()) fail("\"" + category + "\" must be an object");
      for (const auto& m : section->value.GetObject()) {
        LockedPackage p = package(category, std::string(m.name.GetString(), m.name.GetStringLength()), m.value);
        add(lock, std::move(p), category);
      }
    }
    std::stable_sort(lock.packages.begin(), lock.packages.end(),
                     [](const LockedPackage& a, const LockedPackage& b) { return a.name < b.name; });
    return lock;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw LockError(path_ + ": " + message); }

  void read_sources(const JsonObject& meta) {
    auto sources = meta.FindMember("sources");
    if (sources == meta.MemberEnd()) return;
    if (!sources->value.IsArray()) fail("_meta.sources must be an array");
    for (const auto& s : sources->value.GetArray()) {
      if (!s.IsObject()) fail("_meta.sources entries must be objects");
      PipfileSource source;
      source.name = string_member(s, "name", "_meta.sources");
      source.url = string_member(s, "url", "_meta.sources");
      if (source.url.empty()) fail("_meta.sources: every source needs a \"url\"");
      auto verify = s.FindMember("verify_ssl");
      if (verify != s.MemberEnd() && verify->value.IsBool()) source.verify_ssl = verify->value.GetBool();
      sources_.push_back(std::move(source));
    }
  }

  std::string string_member(const JsonObject& obj, const char* key, const std::string& where) const {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || it->value.IsNull()) return {};
    if (!it->value.IsString()) fail(where + ": \"" + key + "\" must be a string");
    return {it->value.GetString(), it->value.GetStringLength()};
  }

  LockedPackage package(const std::string& category, const std::string& key, const JsonObject& entry) const {
    const std::string where = category + "." + key;
    if (!entry.IsObject()) fail(where + ": must be an object");
    if (!is_valid_name(key)) fail(where + ": is not a valid project name");
    LockedPackage p;
    p.display_name = key;
    p.name = normalize_name(key);
    p.requested = true;  // a lock lists what to install; pipenv does not say which were asked for

    auto hashes = entry.FindMember("hashes");
    if (hashes != entry.MemberEnd()) {
      if (!hashes->value.IsArray()) fail(where + ": \"hashes\" must be an array of \"sha256:<hex>\" strings");
      for (const auto& h : hashes->value.GetArray()) {
        if (!h.IsString()) fail(where + ": \"hashes\" must be an array of \"sha256:<hex>\" strings");
        std::string hash(h.GetString(), h.GetStringLength());
        const std::size_t colon = hash.find(':');
        if (colon == std::string::npos) fail(where + ": hash '" + hash + "' is not ALGORITHM:HEX");
        for (std::size_t i = 0; i < colon; ++i) hash[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(hash[i])));
        p.hashes.push_back(hash);
      }
      std::sort(p.hashes.begin(), p.hashes.end());
      p.hashes.erase(std::unique(p.hashes.begin(), p.hashes.end()), p.hashes.end());
    }
    const std::string markers = string_member(entry, "markers", where);
    if (!markers.empty()) {
      try {
        p.marker = Marker::parse(markers);
      } catch (const Error& e) {
        fail(where + ": invalid markers '" + markers + "': " + e.what());
      }
    }
    auto extras = entry.FindMember("extras");
    if (extras != entry.MemberEnd()) {
      if (!extras->value.IsArray()) fail(where + ": \"extras\" must be an array of strings");
      for (const auto& e : extras->value.GetArray()) {
        if (!e.IsString()) fail(where + ": \"extras\" must be an array of strings");
        p.extras.push_back(normalize_extra(std::string_view(e.GetString(), e.GetStringLength())));
      }
      std::sort(p.extras.begin(), p.extras.end());
      p.extras.erase(std::unique(p.extras.begin(), p.extras.end()), p.extras.end());
      p.requested_extras = p.extras;
    }
    const std::string index = string_member(entry, "index", where);
    if (!index.empty()) {
      auto source = std::find_if(sources_.begin(), sources_.end(), [&](const PipfileSource& s) { return s.name == index; });
      if (source == sources_.end()) fail(where + ": index '" + index + "' is not one of _meta.sources");
      p.index = expand_pipfile_vars(source->url, environ_);
    }
    auto editable = entry.FindMember("editable");
    p.editable = editable != entry.MemberEnd() && editable->value.IsBool() && editable->value.GetBool();

    // A direct reference: a file (URL or path), a local path, or a VCS checkout.
    const std::string file = string_member(entry, "file", where);
    const std::string path = string_member(entry, "path", where);
    std::string vcs;
    for (const char* kind : {"git", "hg", "svn", "bzr"}) {
      const std::string url = string_member(entry, kind, where);
      if (url.empty()) continue;
      vcs = url.rfind(std::string(kind) + "+", 0) == 0 ? url : std::string(kind) + "+" + url;
      const std::string ref = string_member(entry, "ref", where);
      if (!ref.empty()) vcs += "@" + ref;
    }
    if (!file.empty() || !path.empty() || !vcs.empty()) {
      if (!vcs.empty()) {
        p.direct_url = vcs;
      } else {
        const std::string link = file.empty() ? path : file;
        if (link.find("://") != std::string::npos) {
          p.direct_url = link;
        } else {
          // Relative to the lock's directory, as pipenv resolves them from the project.
          const std::filesystem::path base = std::filesystem::absolute(std::filesystem::path(path_)).parent_path();
          p.direct_url = "file://" + (base / link).lexically_normal().string();
        }
      }
      return p;
    }

    const std::string version = string_member(entry, "version", where);
    if (version.rfind("==", 0) != 0 || version.size() < 3 || version.find('*') != std::string::npos)
      fail(where + ": \"version\" must pin one version (\"==X\")" + (version.empty() ? "" : ", not '" + version + "'"));
    p.version = Version::try_parse(version.substr(version[2] == '=' ? 3 : 2));
    if (!p.version) fail(where + ": version '" + version + "' is not a PEP 440 version");
    return p;
  }

  // A package of several categories is installed once; its categories must agree on what it is.
  void add(Lock& lock, LockedPackage p, const std::string& category) const {
    for (LockedPackage& seen : lock.packages) {
      if (seen.name != p.name) continue;
      if (seen.version != p.version || seen.direct_url != p.direct_url)
        fail(category + "." + p.display_name + ": locked at another version than in an earlier category");
      for (const std::string& e : p.extras)
        if (std::find(seen.extras.begin(), seen.extras.end(), e) == seen.extras.end()) seen.extras.push_back(e);
      std::sort(seen.extras.begin(), seen.extras.end());
      // Installed where either category's marker holds.
      if (!seen.marker || !p.marker) {
        seen.marker.reset();
      } else if (seen.marker->str() != p.marker->str()) {
        seen.marker = Marker::parse("(" + seen.marker->str() + ") or (" + p.marker->str() + ")");
      }
      return;
    }
    lock.packages.push_back(std::move(p));
  }

  std::string path_;
  const EnvironLookup& environ_;
  std::vector<PipfileSource> sources_;
};

}  // namespace

Lock read_pipfile_lock(std::string_view text, const std::string& path, const std::vector<std::string>& categories,
                       const EnvironLookup& environ) {
  return Reader(path, environ).read(text, categories);
}

}  // namespace thoth
