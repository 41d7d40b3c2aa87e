// Reads a Pipfile (pipfile spec; pipenv's docs "Pipfile & Pipfile.lock") into thoth's requirement and
// index structures, keeping the JSON view of its tables that pipenv hashes and copies into the lock.
#include <algorithm>
#include <filesystem>
#include <sstream>

// Header-only: the parser is compiled here rather than loaded from libtomlplusplus.so at every start.

#include "inputs/pipfile_hash.hpp"
#include "thoth/pipfile.hpp"
#include "base/toml_document.hpp"

namespace thoth {

namespace fs = std::filesystem;

namespace {

// Top-level tables that are not package categories (plette's PIPFILE_SECTIONS).
bool is_reserved_section(std::string_view key) {
  return key == "source" || key == "requires" || key == "scripts" || key == "pipenv" || key == "pipfile";
}

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {}

  Pipfile read(std::string_view text) {
    toml::table doc = base::parse_toml<InputError>(text, path_);
    Pipfile out;
    out.path = path_;
    // The JSON view of what pipenv hashes or copies (not [scripts], [pipenv], [pipfile]: their values
    // may be anything TOML allows, dates included).
    JsonValue json = JsonValue::object();
    for (auto&& [key, node] : doc) {
      const std::string name(key.str());
      if (name == "scripts" || name == "pipenv" || name == "pipfile") continue;
      key_order_[name] = {key.source().begin.line, key.source().begin.column};
      json.members.emplace(name, to_json(node, name));
    }

    read_sources(doc, out);
    if (const toml::node* requires_node = doc.get("requires")) {
      if (!requires_node->is_table()) fail("requires", "must be a table");
      out.requires_table = json.members.at("requires");
      out.python_version = optional_string(*requires_node->as_table(), "python_version", "requires");
      out.python_full_version = optional_string(*requires_node->as_table(), "python_full_version", "requires");
    } else {
      out.requires_table = JsonValue::object();
    }
    if (const toml::node* settings = doc.get("pipenv")) {
      if (!settings->is_table()) fail("pipenv", "must be a table");
      if (const toml::node* pre = settings->as_table()->get("allow_prereleases")) {
        if (!pre->is_boolean()) fail("pipenv.allow_prereleases", "must be true or false");
        out.allow_prereleases = pre->as_boolean()->get();
      }
    }

    // packages and dev-packages first, then the custom categories in the order the file has them.
    std::vector<std::pair<toml::source_position, std::string>> custom;
    for (auto&& [key, node] : doc) {
      const std::string name(key.str());
      if (is_reserved_section(name) || name == "packages" || name == "dev-packages") continue;
      // The lock's own names cannot be Pipfile sections: pipenv leaves them out of the hash too.
      if (name == "default" || name == "develop") fail(name, "is not a Pipfile section (use [packages] / [dev-packages])");
      custom.emplace_back(key.source().begin, name);
    }
    std::sort(custom.begin(), custom.end(), [](const auto& a, const auto& b) {
      return a.first.line != b.first.line ? a.first.line < b.first.line : a.first.column < b.first.column;
    });
    std::vector<std::string> sections = {"packages", "dev-packages"};
    for (const auto& c : custom) sections.push_back(c.second);
    for (const std::string& section : sections) out.categories.push_back(read_category(doc, section, out));

    out.hash_legacy = pipfile_detail::hash_projection(json, sources_json_, PipfileHash::legacy, key_order_);
    out.hash_canonical = pipfile_detail::hash_projection(json, sources_json_, PipfileHash::canonical, key_order_);
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw InputError(path_ + ": " + key + ": " + message);
  }

  // The JSON value Python's json module makes of what tomlkit parsed. Dates and times have none:
  // pipenv fails to hash such a Pipfile, so it is refused here by name.
  JsonValue to_json(const toml::node& node, const std::string& where) {
    JsonValue v;
    if (const auto* t = node.as_table()) {
      v.kind = JsonValue::Kind::object;
      for (auto&& [key, member] : *t) {
        const std::string k(key.str());
        const std::string sub = where.empty() ? k : where + "." + k;
        // The file order of the members of each table, for the one place order matters: names
        // that normalise alike in the canonical hash (Python's dict keeps the last one written).
        key_order_[sub] = {key.source().begin.line, key.source().begin.column};
        v.members.emplace(k, to_json(member, sub));
      }
    } else if (const auto* a = node.as_array()) {
      v.kind = JsonValue::Kind::array;
      for (const toml::node& item : *a) v.items.push_back(to_json(item, where));
    } else if (const auto* s = node.as_string()) {
      v = JsonValue::of(s->get());
    } else if (const auto* i = node.as_integer()) {
      v.kind = JsonValue::Kind::integer;
      v.integer = i->get();
    } else if (const auto* f = node.as_floating_point()) {
      v.kind = JsonValue::Kind::real;
      v.real = f->get();
    } else if (const auto* b = node.as_boolean()) {
      v = JsonValue::of(b->get());
    } else {
      fail(where, "dates and times are not allowed in a Pipfile (pipenv cannot hash them)");
    }
    return v;
  }

  std::string optional_string(const toml::table& t, const std::string& key, const std::string& where) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) return {};
    if (!n->is_string()) fail(where + "." + key, "must be a string");
    return n->as_string()->get();
  }

  // [[source]] tables; pipenv's default source when there are none (plette's DEFAULT_SOURCE_TOML).
  void read_sources(const toml::table& doc, Pipfile& out) {
    const toml::node* node = doc.get("source");
    if (node == nullptr) {
      PipfileSource pypi;
      pypi.name = "pypi";
      pypi.url = "https://pypi.org/simple";
      pypi.verify_ssl = true;
      pypi.table = JsonValue::object();
      pypi.table.members["name"] = JsonValue::of(std::string("pypi"));
      pypi.table.members["url"] = JsonValue::of(pypi.url);
      pypi.table.members["verify_ssl"] = JsonValue::of(true);
      out.sources.push_back(pypi);
      sources_json_ = JsonValue::array();
      sources_json_.items.push_back(pypi.table);
      return;
    }
    if (!node->is_array_of_tables()) fail("source", "must be [[source]] tables");
    sources_json_ = to_json(*node, "source");
    std::size_t i = 0;
    for (const toml::node& entry : *node->as_array()) {
      const toml::table& t = *entry.as_table();
      const std::string where = "source[" + std::to_string(i) + "]";
      PipfileSource s;
      s.url = optional_string(t, "url", where);
      if (s.url.empty()) fail(where, "needs a url");
      s.name = optional_string(t, "name", where);
      if (s.name.empty()) fail(where, "needs a name");
      if (const toml::node* verify = t.get("verify_ssl")) {
        if (!verify->is_boolean()) fail(where + ".verify_ssl", "must be true or false");
        s.verify_ssl = verify->as_boolean()->get();
      }
      s.table = sources_json_.items[i];
      for (const PipfileSource& other : out.sources)
        if (other.name == s.name) fail(where + ".name", "'" + s.name + "' names two sources");
      out.sources.push_back(std::move(s));
      ++i;
    }
  }

  PipfileCategory read_category(const toml::table& doc, const std::string& section, const Pipfile& pipfile) {
    PipfileCategory category;
    category.section = section;
    category.lock_name = pipfile_lock_name(section);
    const toml::node* node = doc.get(section);
    if (node == nullptr) return category;
    if (!node->is_table()) fail(section, "must be a table of packages");
    std::vector<std::pair<toml::source_position, PipfilePackage>> packages;
    for (auto&& [key, value] : *node->as_table()) {
      packages.emplace_back(key.source().begin, read_package(section, std::string(key.str()), value, pipfile));
    }
    std::sort(packages.begin(), packages.end(), [](const auto& a, const auto& b) {
      return a.first.line != b.first.line ? a.first.line < b.first.line : a.first.column < b.first.column;
    });
    for (auto& p : packages) {
      for (const PipfilePackage& seen : category.packages)
        if (seen.name == p.second.name)
          fail(section + "." + p.second.key, "names the same project as " + seen.key);
      category.packages.push_back(std::move(p.second));
    }
    return category;
  }

  PipfilePackage read_package(const std::string& section, const std::string& key, const toml::node& value,
                              const Pipfile& pipfile) {
    const std::string where = section + "." + key;
    if (!is_valid_name(key)) fail(where, "is not a valid project name");
    PipfilePackage p;
    p.key = key;
    p.name = normalize_name(key);
    std::string version = "*";
    std::vector<std::string> marker_parts;
    if (const auto* s = value.as_string()) {
      version = s->get();
    } else if (const auto* t = value.as_table()) {
      version = optional_string(*t, "version", where);
      if (version.empty()) version = "*";
      if (const toml::node* extras = t->get("extras")) {
        const toml::array* arr = extras->as_array();
        if (arr == nullptr) fail(where + ".extras", "must be an array of strings");
        for (const toml::node& e : *arr) {
          if (!e.is_string()) fail(where + ".extras", "must be an array of strings");
          p.extras.push_back(e.as_string()->get());
        }
      }
      const std::string markers = optional_string(*t, "markers", where);
      if (!markers.empty()) marker_parts.push_back(markers);
      // pipenv's translate_markers: any marker variable as a key, its value "OP 'VALUE'".
      for (MarkerVar var : kPipfileMarkerVars) {
        const std::string name(marker_var_name(var));
        const std::string expr = optional_string(*t, name, where);
        if (!expr.empty()) marker_parts.push_back(name + " " + expr);
      }
      p.index = optional_string(*t, "index", where);
      if (!p.index.empty() && pipfile.source(p.index) == nullptr)
        fail(where + ".index", "'" + p.index + "' is not the name of a [[source]]");
      p.path = optional_string(*t, "path", where);
      p.file = optional_string(*t, "file", where);
      if (const toml::node* editable = t->get("editable")) {
        if (!editable->is_boolean()) fail(where + ".editable", "must be true or false");
        p.editable = editable->as_boolean()->get();
      }
      for (const char* vcs : {"git", "hg", "svn", "bzr"}) {
        const std::string url = optional_string(*t, vcs, where);
        if (url.empty()) continue;
        if (!p.vcs.empty()) fail(where, "names two VCS repositories (" + p.vcs + " and " + vcs + ")");
        p.vcs = vcs;
        p.vcs_url = url;
      }
      p.ref = optional_string(*t, "ref", where);
      p.subdirectory = optional_string(*t, "subdirectory", where);
      if (!p.path.empty() + !p.file.empty() + !p.vcs.empty() > 1)
        fail(where, "give only one of path, file and a VCS URL");
    } else {
      fail(where, "must be a version string (\"*\", \"==1.0\") or a table");
    }
    p.markers = combined_markers(marker_parts, where);
    p.requirement = requirement_of(p, version, where);
    std::error_code ec;
    p.directory = (!p.path.empty() || !p.file.empty()) && p.requirement.link.find("://") == std::string::npos &&
                  fs::is_directory(p.requirement.link, ec);
    return p;
  }

  // The entry's markers in one expression, written as pipenv writes markers into Pipfile.lock: as
  // packaging prints them, double quotes turned into single ones.
  std::string combined_markers(const std::vector<std::string>& parts, const std::string& where) const {
    if (parts.empty()) return {};
    std::string text;
    for (const std::string& part : parts) {
      if (!text.empty()) text += " and ";
      text += parts.size() > 1 ? "(" + part + ")" : part;
    }
    try {
      std::string out = Marker::parse(text).str();
      std::replace(out.begin(), out.end(), '"', '\'');
      return out;
    } catch (const Error& e) {
      fail(where, "invalid marker '" + text + "': " + e.what());
    }
  }

  UserRequirement requirement_of(const PipfilePackage& p, const std::string& version, const std::string& where) const {
    UserRequirement r;
    r.origin = path_;
    r.editable = p.editable;
    std::string extras;
    for (const std::string& e : p.extras) extras += (extras.empty() ? "" : ",") + e;
    if (!extras.empty()) extras = "[" + extras + "]";
    std::string spec = version == "*" || version == "any" || version == "<any>" ? "" : version;
    std::string text = p.key + extras + spec + (p.markers.empty() ? "" : " ; " + p.markers);
    try {
      if (!p.path.empty() || !p.file.empty()) {
        // A path is relative to the Pipfile's directory; a file may also be a URL.
        const fs::path base = fs::absolute(fs::path(path_)).parent_path();
        const std::string link = p.path.empty() ? p.file : p.path;
        const bool url = link.find("://") != std::string::npos;
        r.link = url ? link : (base / link).lexically_normal().string();
        r.origin = path_;
        r.editable = p.editable;
        Requirement named = Requirement::parse(p.key + extras + (p.markers.empty() ? "" : " ; " + p.markers));
        r.requirement.name = p.key;
        r.requirement.extras = named.extras;
        r.requirement.written_extras = named.written_extras;
        r.requirement.marker = named.marker;
        return r;
      }
      if (!p.vcs.empty()) {
        Requirement named = Requirement::parse(p.key + extras + (p.markers.empty() ? "" : " ; " + p.markers));
        r.requirement = named;
        std::string url = p.vcs_url.rfind(p.vcs + "+", 0) == 0 ? p.vcs_url : p.vcs + "+" + p.vcs_url;
        if (!p.ref.empty()) url += "@" + p.ref;
        url += "#egg=" + p.key;
        if (!p.subdirectory.empty()) url += "&subdirectory=" + p.subdirectory;
        r.link = url;
        return r;
      }
      r.requirement = Requirement::parse(text);
    } catch (const InputError&) {
      throw;
    } catch (const Error& e) {
      fail(where, std::string(e.what()));
    }
    return r;
  }

  static constexpr MarkerVar kPipfileMarkerVars[] = {
      MarkerVar::ImplementationName,  MarkerVar::ImplementationVersion, MarkerVar::OsName,
      MarkerVar::PlatformMachine,     MarkerVar::PlatformPythonImplementation,
      MarkerVar::PlatformRelease,     MarkerVar::PlatformSystem,        MarkerVar::PlatformVersion,
      MarkerVar::PythonFullVersion,   MarkerVar::PythonVersion,         MarkerVar::SysPlatform,
  };

  std::string path_;
  JsonValue sources_json_;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> key_order_;
};

}  // namespace

const PipfileCategory* Pipfile::category(std::string_view name) const {
  for (const PipfileCategory& c : categories)
    if (c.lock_name == name || c.section == name) return &c;
  return nullptr;
}

const PipfileSource* Pipfile::source(std::string_view name) const {
  for (const PipfileSource& s : sources)
    if (s.name == name) return &s;
  return nullptr;
}

std::string pipfile_lock_name(std::string_view section) {
  if (section == "packages") return "default";
  if (section == "dev-packages") return "develop";
  return std::string(section);
}

Pipfile read_pipfile(std::string_view text, const std::string& path) { return Reader(path).read(text); }

std::string expand_pipfile_vars(std::string_view text, const EnvironLookup& environ) {
  auto is_name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '$') {
      out += text[i++];
      continue;
    }
    std::size_t start = i + 1;
    std::size_t end = start;
    const bool braced = start < text.size() && text[start] == '{';
    if (braced) {
      end = text.find('}', start + 1);
      if (end == std::string_view::npos) {
        out += text.substr(i);
        break;
      }
      start += 1;
    } else {
      while (end < text.size() && is_name_char(text[end])) ++end;
    }
    const std::string_view name = text.substr(start, end - start);
    const std::size_t after = braced ? end + 1 : end;
    std::optional<std::string> value;
    if (!name.empty() && environ) value = environ(name);
    if (value) {
      out += *value;
    } else {
      out += text.substr(i, after - i);  // unset: left as written
    }
    i = after == i ? i + 1 : after;
  }
  return out;
}

IndexOptions pipfile_index_options(const Pipfile& pipfile, const EnvironLookup& environ) {
  IndexOptions options;
  for (const PipfileSource& s : pipfile.sources) {
    const std::string url = expand_pipfile_vars(s.url, environ);
    if (!options.index_url) {
      options.index_url = url;
    } else {
      options.extra_index_urls.push_back(url);
    }
    if (!s.verify_ssl) {
      // pipenv passes --trusted-host for a source with verify_ssl = false.
      std::string host = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
      host = host.substr(0, host.find('/'));
      if (host.find('@') != std::string::npos) host = host.substr(host.rfind('@') + 1);
      if (!host.empty()) options.trusted_hosts.push_back(host);
    }
  }
  // An entry's `index = "name"` restricts the package to that source, as pipenv passes such a
  // package to pip with that index alone (and so no other index can shadow it: dependency confusion).
  std::map<std::string, std::string> chosen_by;  // project -> the entry that restricted it, for messages
  for (const PipfileCategory& c : pipfile.categories) {
    for (const PipfilePackage& p : c.packages) {
      if (p.index.empty()) continue;
      const std::string url = expand_pipfile_vars(pipfile.source(p.index)->url, environ);
      const std::string where = c.section + "." + p.key;
      const auto [it, added] = options.project_indexes.emplace(p.name, url);
      if (!added && it->second != url)
        throw InputError(pipfile.path + ": " + where + ".index: '" + p.index + "' differs from the index " +
                         chosen_by[p.name] + " names (a package comes from one source)");
      chosen_by.emplace(p.name, where);
    }
  }
  return options;
}

RequirementSet pipfile_requirements(const Pipfile& pipfile, const std::vector<std::string>& categories,
                                    const EnvironLookup& environ) {
  RequirementSet set;
  for (const std::string& name : categories) {
    const PipfileCategory* category = pipfile.category(name);
    if (category == nullptr) throw InputError(pipfile.path + ": no category '" + name + "'");
    for (const PipfilePackage& p : category->packages) set.requirements.push_back(p.requirement);
  }
  set.options.index = pipfile_index_options(pipfile, environ);
  set.options.pre = pipfile.allow_prereleases;
  return set;
}

std::optional<PipfileHash> parse_pipfile_hash(std::string_view text) {
  if (text == "canonical") return PipfileHash::canonical;
  if (text == "legacy") return PipfileHash::legacy;
  return std::nullopt;
}

}  // namespace thoth
