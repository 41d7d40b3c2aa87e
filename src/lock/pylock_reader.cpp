// Reads a PEP 751 pylock.toml ("pylock.toml Specification", lock-version 1.x) into a Lock.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

// Header-only: the parser is compiled here rather than loaded from libtomlplusplus.so at every start.

#include "thoth/lock.hpp"
#include "base/link.hpp"
#include "base/toml_document.hpp"

namespace thoth {

namespace {

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {}

  Lock read(std::string_view text) {
    toml::table doc = base::parse_toml<LockError>(text, path_);
    Lock lock;
    lock.format = LockFormat::pylock;

    // Spec "lock-version": a major version this reader does not know MUST be an error; an unknown
    // minor version is read (its unknown keys are ignored).
    std::string version = string_at(doc, "lock-version", "", true);
    if (version != "1" && version.rfind("1.", 0) != 0)
      fail("", "lock-version " + version + " is not supported (only 1.x)");

    lock.requires_python = string_at(doc, "requires-python", "", false);
    if (!lock.requires_python.empty()) checked_specifier(lock.requires_python, "requires-python");
    if (const toml::node* envs = doc.get("environments")) {
      const toml::array* arr = envs->as_array();
      if (arr == nullptr) fail("", "environments must be an array of strings");
      for (const toml::node& e : *arr) {
        const auto* s = e.as_string();
        if (s == nullptr) fail("", "environments must be an array of strings");
        lock.environments.push_back(checked_marker(s->get(), "environments"));
      }
    }

    // Spec "extras", "dependency-groups", "default-groups": arrays of names; the default groups are
    // what an installer takes when asked for none (PEP 751 "packages.marker").
    lock.extras = names_at(doc, "extras");
    lock.dependency_groups = names_at(doc, "dependency-groups");
    lock.default_groups = names_at(doc, "default-groups");
    lock.selection = LockSelection{{}, lock.default_groups};

    const toml::node* packages = doc.get("packages");
    if (packages == nullptr || !packages->is_array_of_tables())
      fail("", "a [[packages]] array of tables is required");
    for (const toml::node& entry : *packages->as_array()) lock.packages.push_back(package(*entry.as_table()));
    std::stable_sort(lock.packages.begin(), lock.packages.end(),
                     [](const LockedPackage& a, const LockedPackage& b) { return a.name < b.name; });
    return lock;
  }

 private:
  [[noreturn]] void fail(const std::string& where, const std::string& message) const {
    throw LockError(path_ + ": " + (where.empty() ? "" : where + ": ") + message);
  }

  std::string string_at(const toml::table& t, std::string_view key, const std::string& where, bool required) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required) fail(where, std::string(key) + " is required");
      return {};
    }
    const auto* s = n->as_string();
    if (s == nullptr) fail(where, std::string(key) + " must be a string");
    return s->get();
  }

  std::vector<std::string> names_at(const toml::table& t, std::string_view key) const {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (n == nullptr) return out;
    const toml::array* arr = n->as_array();
    if (arr == nullptr) fail("", std::string(key) + " must be an array of strings");
    for (const toml::node& e : *arr) {
      const auto* s = e.as_string();
      if (s == nullptr) fail("", std::string(key) + " must be an array of strings");
      out.push_back(s->get());
    }
    return out;
  }

  Marker checked_marker(const std::string& text, const std::string& where) const {
    try {
      return Marker::parse(text);
    } catch (const Error& e) {
      fail(where, std::string("invalid marker: ") + e.what());
    }
  }

  SpecifierSet checked_specifier(const std::string& text, const std::string& where) const {
    try {
      return SpecifierSet::parse(text);
    } catch (const Error& e) {
      fail(where, std::string("invalid requires-python: ") + e.what());
    }
  }

  // Spec "upload-time": a TOML date-time (or, leniently, a string), kept as ISO 8601 text.
  static std::optional<std::string> time_text(const toml::node* n) {
    if (n == nullptr) return std::nullopt;
    if (const auto* s = n->as_string()) return s->get();
    if (const auto* dt = n->as_date_time()) {
      const toml::date_time& v = dt->get();
      char buf[64];
      std::snprintf(buf, sizeof buf, "%04u-%02u-%02uT%02u:%02u:%02u", unsigned(v.date.year), unsigned(v.date.month),
                    unsigned(v.date.day), unsigned(v.time.hour), unsigned(v.time.minute), unsigned(v.time.second));
      std::string out = buf;
      if (v.time.nanosecond != 0) {
        std::snprintf(buf, sizeof buf, ".%09u", unsigned(v.time.nanosecond));
        std::string frac = buf;
        while (frac.back() == '0') frac.pop_back();
        out += frac;
      }
      if (v.offset) {
        int m = v.offset->minutes;
        if (m == 0) {
          out += "Z";
        } else {
          std::snprintf(buf, sizeof buf, "%c%02d:%02d", m < 0 ? '-' : '+', std::abs(m) / 60, std::abs(m) % 60);
          out += buf;
        }
      }
      return out;
    }
    return std::nullopt;
  }

  // A path in the lock is relative to the lock file's directory (spec "packages.archive.path" etc.).
  std::string resolve_path(const std::string& p) const {
    std::filesystem::path fp(p);
    if (fp.is_absolute()) return fp.lexically_normal().string();
    return (std::filesystem::absolute(path_).parent_path() / fp).lexically_normal().string();
  }

  // Spec "packages.sdist" / "packages.wheels" / "packages.archive": url or path, name, size, hashes.
  LockedFile file(const toml::table& t, const std::string& where, bool wheel) const {
    LockedFile f;
    f.is_wheel = wheel;
    f.url = string_at(t, "url", where, false);
    std::string path = string_at(t, "path", where, false);
    if (f.url.empty() && path.empty()) fail(where, "a file needs url or path");
    if (!path.empty()) f.path = resolve_path(path);
    f.filename = string_at(t, "name", where, false);
    if (f.filename.empty()) f.filename = base::url_filename(f.url.empty() ? path : f.url);
    if (const toml::node* size = t.get("size")) {
      const auto* i = size->as_integer();
      if (i == nullptr || i->get() < 0) fail(where, "size must be a non-negative integer");
      f.size = static_cast<std::uint64_t>(i->get());
    }
    f.upload_time = time_text(t.get("upload-time"));
    const toml::node* hashes = t.get("hashes");
    if (hashes == nullptr || !hashes->is_table()) fail(where, "hashes table is required for " + f.filename);
    for (const auto& [algo, value] : *hashes->as_table()) {
      const auto* s = value.as_string();
      if (s == nullptr) fail(where, "hash values must be strings");
      std::string hex = s->get();
      std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::tolower(c); });
      std::string key(algo.str());
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
      f.hashes.emplace(std::move(key), std::move(hex));
    }
    if (f.hashes.empty()) fail(where, "hashes table of " + f.filename + " is empty (PEP 751 requires one)");
    return f;
  }

  LockedPackage package(const toml::table& t) const {
    LockedPackage p;
    p.display_name = string_at(t, "name", "[[packages]]", true);
    p.name = normalize_name(p.display_name);
    const std::string where = "package " + p.display_name;
    std::string version = string_at(t, "version", where, false);
    if (!version.empty()) {
      p.version = Version::try_parse(version);
      if (!p.version) fail(where, "version " + version + " is not a PEP 440 version");
    }
    if (std::string m = string_at(t, "marker", where, false); !m.empty()) p.marker = checked_marker(m, where);
    p.requires_python = string_at(t, "requires-python", where, false);
    if (!p.requires_python.empty()) checked_specifier(p.requires_python, where);
    p.index = string_at(t, "index", where, false);
    if (const toml::node* deps = t.get("dependencies")) {
      if (!deps->is_array()) fail(where, "dependencies must be an array of tables");
      for (const toml::node& d : *deps->as_array()) {
        const toml::table* dt = d.as_table();
        if (dt == nullptr) fail(where, "dependencies must be an array of tables");
        if (std::string n = string_at(*dt, "name", where, false); !n.empty()) p.dependencies.push_back(normalize_name(n));
      }
      std::sort(p.dependencies.begin(), p.dependencies.end());
      p.dependencies.erase(std::unique(p.dependencies.begin(), p.dependencies.end()), p.dependencies.end());
    }

    // The source: exactly one of vcs, directory, archive, or index files (sdist and/or wheels).
    const toml::node* vcs = t.get("vcs");
    const toml::node* dir = t.get("directory");
    const toml::node* archive = t.get("archive");
    const toml::node* sdist = t.get("sdist");
    const toml::node* wheels = t.get("wheels");
    int sources = (vcs != nullptr) + (dir != nullptr) + (archive != nullptr) + (sdist != nullptr || wheels != nullptr);
    if (sources > 1) fail(where, "vcs, directory, archive and sdist/wheels are mutually exclusive");
    if (sources == 0) fail(where, "no source (vcs, directory, archive, sdist or wheels)");

    if (vcs != nullptr) {
      const toml::table* v = vcs->as_table();
      if (v == nullptr) fail(where, "vcs must be a table");
      // Spec "packages.vcs": recorded as pip's VCS URL form type+url@commit.
      std::string type = string_at(*v, "type", where, true);
      std::string url = string_at(*v, "url", where, false);
      if (url.empty()) url = "file://" + resolve_path(string_at(*v, "path", where, true));
      p.direct_url = type + "+" + url + "@" + string_at(*v, "commit-id", where, true);
      if (std::string sub = string_at(*v, "subdirectory", where, false); !sub.empty())
        p.direct_url += "#subdirectory=" + sub;
    } else if (dir != nullptr) {
      const toml::table* d = dir->as_table();
      if (d == nullptr) fail(where, "directory must be a table");
      p.direct_url = "file://" + resolve_path(string_at(*d, "path", where, true));
      if (const toml::node* e = d->get("editable")) p.editable = e->value_or(false);
    } else if (archive != nullptr) {
      const toml::table* a = archive->as_table();
      if (a == nullptr) fail(where, "archive must be a table");
      LockedFile f = file(*a, where, false);
      f.is_wheel = f.filename.size() > 4 && f.filename.compare(f.filename.size() - 4, 4, ".whl") == 0;
      p.direct_url = f.url.empty() ? "file://" + f.path : f.url;
      p.files.push_back(std::move(f));
    } else {
      if (wheels != nullptr) {
        if (!wheels->is_array()) fail(where, "wheels must be an array of tables");
        for (const toml::node& w : *wheels->as_array()) {
          if (!w.is_table()) fail(where, "wheels must be an array of tables");
          p.files.push_back(file(*w.as_table(), where, true));
        }
      }
      if (sdist != nullptr) {
        if (!sdist->is_table()) fail(where, "sdist must be a table");
        p.files.push_back(file(*sdist->as_table(), where, false));
      }
    }
    return p;
  }

  std::string path_;
};

}  // namespace

Lock read_pylock(std::string_view text, const std::string& path) { return Reader(path).read(text); }

}  // namespace thoth
