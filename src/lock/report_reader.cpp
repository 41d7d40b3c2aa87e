// Reads pip's installation report (`pip install --report`, version "1") into a Lock: what pip would
// install, with the file it chose and that file's hash.
#include <algorithm>

#include <rapidjson/document.h>

#include "thoth/json_text.hpp"
#include "lock/hash_names.hpp"
#include "thoth/lock.hpp"
#include "base/link.hpp"

namespace thoth {

namespace {

using JsonObject = rapidjson::Value;

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {}

  Lock read(std::string_view text) {
    JsonDocument parsed;
    if (std::string error = parse_json(text, parsed); !error.empty()) fail(error);
    const rapidjson::Document& doc = parsed.doc;
    if (!doc.IsObject()) fail("not an installation report (expected a JSON object)");
    std::string version = string_member(doc, "version", "report", true);
    if (version != "1") fail("report version " + version + " is not supported (only \"1\")");

    Lock lock;
    lock.format = LockFormat::report;
    auto install = doc.FindMember("install");
    if (install == doc.MemberEnd() || !install->value.IsArray()) fail("\"install\" must be an array");
    for (const JsonObject& item : install->value.GetArray()) lock.packages.push_back(package(item));
    std::stable_sort(lock.packages.begin(), lock.packages.end(),
                     [](const LockedPackage& a, const LockedPackage& b) { return a.name < b.name; });

    auto env = doc.FindMember("environment");
    if (env != doc.MemberEnd()) {
      if (!env->value.IsObject()) fail("\"environment\" must be an object");
      for (const auto& m : env->value.GetObject()) {
        auto var = marker_var_from_name(std::string_view(m.name.GetString(), m.name.GetStringLength()));
        if (!var || !m.value.IsString()) continue;  // a variable this version of PEP 508 does not know
        lock.environment.set(*var, std::string(m.value.GetString(), m.value.GetStringLength()));
      }
      lock.has_environment = true;
    }
    return lock;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw LockError(path_ + ": " + message); }

  std::string string_member(const JsonObject& obj, const char* key, const std::string& where, bool required) const {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || it->value.IsNull()) {
      if (required) fail(where + ": \"" + key + "\" is required");
      return {};
    }
    if (!it->value.IsString()) fail(where + ": \"" + key + "\" must be a string");
    return {it->value.GetString(), it->value.GetStringLength()};
  }

  bool bool_member(const JsonObject& obj, const char* key, const std::string& where) const {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd()) return false;
    if (!it->value.IsBool()) fail(where + ": \"" + key + "\" must be true or false");
    return it->value.GetBool();
  }

  LockedPackage package(const JsonObject& item) const {
    if (!item.IsObject()) fail("each \"install\" entry must be an object");
    auto md = item.FindMember("metadata");
    if (md == item.MemberEnd() || !md->value.IsObject()) fail("an \"install\" entry has no \"metadata\" object");
    LockedPackage p;
    p.display_name = string_member(md->value, "name", "metadata", true);
    p.name = normalize_name(p.display_name);
    const std::string where = "package " + p.display_name;
    std::string version = string_member(md->value, "version", where, true);
    // "": no version known, as thoth writes the report of a lock entry without one (a source tree, a
    // pylock package that gives none).
    if (!version.empty()) {
      p.version = Version::try_parse(version);
      if (!p.version) fail(where + ": version " + version + " is not a PEP 440 version");
    }
    p.requires_python = string_member(md->value, "requires_python", where, false);
    p.requested = bool_member(item, "requested", where);
    bool direct = bool_member(item, "is_direct", where);
    auto extras = item.FindMember("requested_extras");
    if (extras != item.MemberEnd() && extras->value.IsArray()) {
      // Kept as written too: a report of this lock (install --lock FILE --report) says them again.
      for (const auto& e : extras->value.GetArray())
        if (e.IsString()) p.requested_extras.emplace_back(e.GetString(), e.GetStringLength());
      std::sort(p.requested_extras.begin(), p.requested_extras.end());
      p.requested_extras.erase(std::unique(p.requested_extras.begin(), p.requested_extras.end()),
                               p.requested_extras.end());
      for (const std::string& e : p.requested_extras) p.extras.push_back(normalize_extra(e));
      std::sort(p.extras.begin(), p.extras.end());
      p.extras.erase(std::unique(p.extras.begin(), p.extras.end()), p.extras.end());
    }

    // PEP 610 download_info: archive_info (a file, with its hash) or dir_info (a source tree).
    auto info = item.FindMember("download_info");
    if (info == item.MemberEnd() || !info->value.IsObject()) fail(where + ": \"download_info\" is required");
    std::string url = string_member(info->value, "url", where, true);
    auto dir = info->value.FindMember("dir_info");
    auto archive = info->value.FindMember("archive_info");
    // An index file may be known by its hashes alone (url ""); a direct reference (is_direct, dir_info,
    // vcs_info) is its URL, and a fragment ("#egg=...") is no URL.
    const bool index_file = !direct && (dir == info->value.MemberEnd() || !dir->value.IsObject()) &&
                            archive != info->value.MemberEnd() && archive->value.IsObject();
    if (!index_file && base::without_fragment(url).empty())
      fail(where + ": a direct reference (is_direct, dir_info, vcs_info) needs download_info.url");
    if (dir != info->value.MemberEnd() && dir->value.IsObject()) {
      p.direct_url = url;
      p.editable = bool_member(dir->value, "editable", where);
    } else if (archive != info->value.MemberEnd() && archive->value.IsObject()) {
      LockedFile f;
      f.url = url;
      f.filename = base::url_filename(url);
      f.is_wheel = f.filename.size() > 4 && f.filename.compare(f.filename.size() - 4, 4, ".whl") == 0;
      // Names that are no hashlib name (an empty one, "a=b") are not hashes anyone can check: skipped.
      auto hashes = archive->value.FindMember("hashes");
      if (hashes != archive->value.MemberEnd() && hashes->value.IsObject()) {
        for (const auto& h : hashes->value.GetObject())
          if (h.value.IsString() && lock_detail::is_hash_algorithm_name(h.name.GetString()))
            f.hashes.emplace(h.name.GetString(), h.value.GetString());
      }
      // The legacy single "hash": "algo=value".
      std::string legacy = string_member(archive->value, "hash", where, false);
      if (auto eq = legacy.find('='); eq != std::string::npos && lock_detail::is_hash_algorithm_name(legacy.substr(0, eq)))
        f.hashes.emplace(legacy.substr(0, eq), legacy.substr(eq + 1));
      if (direct) p.direct_url = url;
      p.files.push_back(std::move(f));
    } else {
      // vcs_info or something newer: only the URL is known.
      p.direct_url = url;
    }
    return p;
  }

  std::string path_;
};

}  // namespace

Lock read_report(std::string_view text, const std::string& path) { return Reader(path).read(text); }

}  // namespace thoth
