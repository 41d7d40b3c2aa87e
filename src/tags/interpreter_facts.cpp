// From the probe's JSON answer to a Target, following packaging.tags.sys_tags() step by step.
#include <rapidjson/document.h>

#include "tags/interpreter_facts.hpp"
#include "tags/platforms.hpp"
#include "tags/text.hpp"
#include "thoth/json_text.hpp"

namespace thoth::probe_detail {

namespace {

using Value = rapidjson::Value;

class FactReader {
 public:
  explicit FactReader(std::string_view python) : python_(python) {}

  [[noreturn]] void fail(std::string_view what) const {
    throw TagError("cannot probe interpreter " + std::string(python_) + ": " + std::string(what));
  }

  const Value& member(const Value& obj, const char* key) const {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd()) fail(std::string("its answer lacks \"") + key + "\"");
    return it->value;
  }
  std::string string(const Value& obj, const char* key) const {
    const Value& v = member(obj, key);
    if (!v.IsString()) fail(std::string("\"") + key + "\" is not a string");
    return std::string(v.GetString(), v.GetStringLength());
  }
  std::optional<std::string> optional_string(const Value& obj, const char* key) const {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
    if (!it->value.IsString()) fail(std::string("\"") + key + "\" is not a string");
    return std::string(it->value.GetString(), it->value.GetStringLength());
  }
  bool boolean(const Value& obj, const char* key) const {
    const Value& v = member(obj, key);
    if (!v.IsBool()) fail(std::string("\"") + key + "\" is not a boolean");
    return v.GetBool();
  }
  std::uint64_t uint(const Value& v, const char* key) const {
    if (!v.IsUint64()) fail(std::string("\"") + key + "\" is not a non-negative integer");
    return v.GetUint64();
  }
  ConfigVar config_var(const Value& obj, const char* key) const {
    const Value& v = member(obj, key);
    ConfigVar out;
    if (v.IsNull()) return out;
    if (v.IsBool()) {
      out.kind = ConfigVar::Kind::Int;
      out.number = v.GetBool() ? 1 : 0;
    } else if (v.IsInt64()) {
      out.kind = ConfigVar::Kind::Int;
      out.number = v.GetInt64();
    } else if (v.IsString()) {
      out.kind = ConfigVar::Kind::String;
      out.text.assign(v.GetString(), v.GetStringLength());
    } else {
      fail(std::string("\"") + key + "\" is neither null, a number nor a string");
    }
    return out;
  }
  std::optional<bool> optional_bool(const Value& obj, const char* key) const {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
    if (!it->value.IsBool()) fail(std::string("\"") + key + "\" is not a boolean");
    return it->value.GetBool();
  }

 private:
  std::string_view python_;
};

ElfFacts read_elf(const FactReader& r, const Value& v) {
  if (!v.IsObject()) r.fail("\"elf\" is not an object");
  ElfFacts elf;
  elf.ei_class = static_cast<int>(r.uint(r.member(v, "class"), "class"));
  elf.ei_data = static_cast<int>(r.uint(r.member(v, "data"), "data"));
  elf.machine = static_cast<int>(r.uint(r.member(v, "machine"), "machine"));
  elf.flags = r.uint(r.member(v, "flags"), "flags");
  elf.interpreter = r.optional_string(v, "interpreter").value_or("");
  return elf;
}

ManylinuxModule read_manylinux_module(const FactReader& r, const Value& v) {
  if (!v.IsObject()) r.fail("\"manylinux_module\" is not an object");
  ManylinuxModule m;
  m.manylinux1 = r.optional_bool(v, "manylinux1");
  m.manylinux2010 = r.optional_bool(v, "manylinux2010");
  m.manylinux2014 = r.optional_bool(v, "manylinux2014");
  auto it = v.FindMember("compatible");
  if (it != v.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsArray()) r.fail("\"compatible\" is not a list");
    m.compatible.emplace();
    for (const Value& row : it->value.GetArray()) {
      if (!row.IsArray() || row.Size() != 3 || !row[0].IsInt() || !row[1].IsInt() ||
          !(row[2].IsNull() || row[2].IsBool())) {
        r.fail("\"compatible\" holds a malformed entry");
      }
      std::optional<bool> answer;
      if (row[2].IsBool()) answer = row[2].GetBool();
      (*m.compatible)[{row[0].GetInt(), row[1].GetInt()}] = answer;
    }
  }
  return m;
}

// packaging._manylinux._have_compatible_abi: armv7l needs a hard-float EABI5 executable, i686 a
// 32-bit x86 one; the 64-bit arches listed in PEP 599 are taken as they are.
bool have_compatible_abi(const std::optional<ElfFacts>& elf, std::string_view arch) {
  constexpr int kElf32 = 1, kLsb = 1, kEmI386 = 3, kEmArm = 40;
  constexpr std::uint64_t kAbiMask = 0xFF000000, kAbiVer5 = 0x05000000, kFloatHard = 0x00000400;
  if (arch == "armv7l") {
    return elf && elf->ei_class == kElf32 && elf->ei_data == kLsb && elf->machine == kEmArm &&
           (elf->flags & kAbiMask) == kAbiVer5 && (elf->flags & kFloatHard) == kFloatHard;
  }
  if (arch == "i686") {
    return elf && elf->ei_class == kElf32 && elf->ei_data == kLsb && elf->machine == kEmI386;
  }
  return arch == "x86_64" || arch == "aarch64" || arch == "ppc64" || arch == "ppc64le" || arch == "s390x";
}

// packaging._manylinux._is_compatible without the glibc test (the ladder never exceeds the system's
// glibc): the interpreter's _manylinux module may veto a version (PEP 600).
bool module_allows(const std::optional<ManylinuxModule>& module, int major, int minor) {
  if (!module) return true;
  if (module->compatible) {
    auto it = module->compatible->find({major, minor});
    if (it != module->compatible->end() && it->second.has_value()) return *it->second;
    return true;
  }
  if (major == 2 && minor == 5 && module->manylinux1) return *module->manylinux1;
  if (major == 2 && minor == 12 && module->manylinux2010) return *module->manylinux2010;
  if (major == 2 && minor == 17 && module->manylinux2014) return *module->manylinux2014;
  return true;
}

std::vector<std::string> linux_platforms(const InterpreterFacts& f, std::string_view python) {
  std::string linux = tags_text::normalize_platform(f.sysconfig_platform);
  if (f.is_32bit) {
    // A 32-bit interpreter on a 64-bit kernel loads 32-bit extension modules only.
    if (linux == "linux_x86_64") linux = "linux_i686";
    if (linux == "linux_aarch64") linux = "linux_armv7l";
  }
  std::size_t sep = linux.find('_');
  if (sep == std::string::npos) {
    throw TagError("cannot probe interpreter " + std::string(python) + ": unexpected platform \"" +
                   f.sysconfig_platform + "\"");
  }
  std::string arch = linux.substr(sep + 1);
  std::vector<std::string> out;
  if (have_compatible_abi(f.elf, arch)) {
    auto [major, minor] = f.glibc_version ? parse_glibc_version(*f.glibc_version) : std::pair{-1, -1};
    out = platforms_detail::manylinux_ladder(linux, arch, major, minor, [&](int maj, int min) {
      return module_allows(f.manylinux_module, maj, min);
    });
  }
  if (f.musl_loader_output) {
    if (auto musl = parse_musl_version(*f.musl_loader_output)) {
      for (std::string& p : musllinux_platforms(arch, musl->first, musl->second)) out.push_back(std::move(p));
    }
  }
  out.push_back(linux);
  return out;
}

std::vector<std::string> mac_platform_list(const InterpreterFacts& f, std::string_view python) {
  std::vector<std::string_view> parts = tags_text::split(f.mac_version, '.');
  std::optional<int> major = tags_text::to_int(parts[0]);
  std::optional<int> minor = parts.size() > 1 ? tags_text::to_int(parts[1]) : std::nullopt;
  if (!major || !minor) {
    throw TagError("cannot probe interpreter " + std::string(python) + ": unexpected macOS version \"" +
                   f.mac_version + "\"");
  }
  return mac_platforms(*major, *minor, platforms_detail::mac_arch(f.mac_machine, f.is_32bit));
}

CpythonAbiFlags abi_flags(const InterpreterFacts& f) {
  CpythonAbiFlags flags;
  // Windows does not set Py_DEBUG; there a debug build shows in its extension suffix.
  flags.debug = f.py_debug.truthy() ||
                (f.py_debug.is_none() && (f.has_gettotalrefcount || f.has_debug_pyd_suffix));
  flags.pymalloc = f.with_pymalloc.truthy() || f.with_pymalloc.is_none();
  flags.ucs4 = (f.unicode_size.kind == ConfigVar::Kind::Int && f.unicode_size.number == 4) ||
               (f.unicode_size.is_none() && f.maxunicode == 0x10FFFF);
  return flags;
}

// packaging.tags._generic_abi: the ABI part of EXT_SUFFIX, e.g. ".pypy39-pp73-x86_64-linux-gnu.so"
// -> pypy39_pp73.
std::vector<std::string> generic_abis(const InterpreterFacts& f, std::string_view python) {
  const ConfigVar& ext = f.ext_suffix;
  if (ext.kind != ConfigVar::Kind::String || ext.text.empty() || ext.text[0] != '.') {
    throw TagError("cannot probe interpreter " + std::string(python) +
                   ": invalid sysconfig.get_config_var('EXT_SUFFIX')");
  }
  std::vector<std::string_view> parts = tags_text::split(ext.text, '.');
  if (parts.size() < 3) return cpython_abis(f.version, abi_flags(f));  // ".pyd" of old Windows builds
  std::string_view soabi = parts[1];
  std::vector<std::string_view> dashed = tags_text::split(soabi, '-');
  auto join = [&](std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n && i < dashed.size(); ++i) {
      if (i) out += '-';
      out += dashed[i];
    }
    return out;
  };
  std::string abi;
  if (soabi.starts_with("cpython")) {
    if (dashed.size() < 2) {
      throw TagError("cannot probe interpreter " + std::string(python) + ": unexpected EXT_SUFFIX \"" + ext.text + "\"");
    }
    abi = "cp" + std::string(dashed[1]);
  } else if (soabi.starts_with("cp")) {
    abi = std::string(dashed[0]);
  } else if (soabi.starts_with("pypy")) {
    abi = join(2);
  } else if (soabi.starts_with("graalpy")) {
    abi = join(3);
  } else if (!soabi.empty()) {
    abi = std::string(soabi);
  } else {
    return {};
  }
  return {tags_text::normalize_platform(abi)};
}

}  // namespace

std::optional<std::pair<int, int>> parse_musl_version(std::string_view output) {
  std::vector<std::string_view> lines;
  for (std::string_view line : tags_text::split(output, '\n')) {
    std::size_t b = line.find_first_not_of(" \t\r\f\v");
    if (b == std::string_view::npos) continue;
    std::size_t e = line.find_last_not_of(" \t\r\f\v");
    lines.push_back(line.substr(b, e - b + 1));
  }
  if (lines.size() < 2 || !lines[0].starts_with("musl")) return std::nullopt;
  std::string_view v = lines[1];
  if (!v.starts_with("Version ")) return std::nullopt;
  v.remove_prefix(8);
  auto [major, minor] = parse_glibc_version(v);  // the same "<digits>.<digits>" prefix rule
  if (major < 0) return std::nullopt;
  return std::pair{major, minor};
}

std::pair<int, int> parse_glibc_version(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && tags_text::is_digit(text[i])) ++i;
  std::size_t dot = i;
  if (dot == 0 || dot >= text.size() || text[dot] != '.') return {-1, -1};
  ++i;
  while (i < text.size() && tags_text::is_digit(text[i])) ++i;
  std::optional<int> major = tags_text::to_int(text.substr(0, dot));
  std::optional<int> minor = tags_text::to_int(text.substr(dot + 1, i - dot - 1));
  if (!major || !minor) return {-1, -1};
  return {*major, *minor};
}

InterpreterFacts parse_facts(std::string_view json, std::string_view python) {
  FactReader r(python);
  JsonDocument parsed;
  if (std::string error = parse_json(json, parsed); !error.empty()) r.fail("its answer is not JSON (" + error + ")");
  const rapidjson::Document& doc = parsed.doc;
  if (!doc.IsObject()) r.fail("its answer is not a JSON object");

  InterpreterFacts f;
  f.executable = r.string(doc, "executable");
  const Value& markers = r.member(doc, "markers");
  if (!markers.IsObject()) r.fail("\"markers\" is not an object");
  for (auto it = markers.MemberBegin(); it != markers.MemberEnd(); ++it) {
    std::string_view name(it->name.GetString(), it->name.GetStringLength());
    std::optional<MarkerVar> var = marker_var_from_name(name);
    if (!var || static_cast<std::size_t>(*var) >= kMarkerEnvVarCount || !it->value.IsString()) {
      r.fail("unexpected marker entry \"" + std::string(name) + "\"");
    }
    f.markers.set(*var, std::string(it->value.GetString(), it->value.GetStringLength()));
  }
  f.implementation_name = r.string(doc, "implementation");
  const Value& version = r.member(doc, "version");
  if (!version.IsArray() || version.Size() != 2) r.fail("\"version\" is not [major, minor]");
  for (const Value& part : version.GetArray()) f.version.push_back(r.uint(part, "version"));
  f.py_debug = r.config_var(doc, "Py_DEBUG");
  f.with_pymalloc = r.config_var(doc, "WITH_PYMALLOC");
  f.unicode_size = r.config_var(doc, "Py_UNICODE_SIZE");
  f.ext_suffix = r.config_var(doc, "EXT_SUFFIX");
  f.has_gettotalrefcount = r.boolean(doc, "gettotalrefcount");
  f.has_debug_pyd_suffix = r.boolean(doc, "debug_pyd");
  f.maxunicode = r.uint(r.member(doc, "maxunicode"), "maxunicode");
  f.sysconfig_platform = r.string(doc, "platform");
  f.system = r.string(doc, "system");
  f.is_32bit = r.boolean(doc, "is_32bit");
  f.glibc_version = r.optional_string(doc, "glibc");
  f.musl_loader_output = r.optional_string(doc, "musl_loader_output");
  if (auto it = doc.FindMember("elf"); it != doc.MemberEnd() && !it->value.IsNull()) {
    f.elf = read_elf(r, it->value);
  }
  if (auto it = doc.FindMember("manylinux_module"); it != doc.MemberEnd() && !it->value.IsNull()) {
    f.manylinux_module = read_manylinux_module(r, it->value);
  }
  f.mac_version = r.optional_string(doc, "mac_version").value_or("");
  f.mac_machine = r.optional_string(doc, "mac_machine").value_or("");
  return f;
}

Target target_from_facts(const InterpreterFacts& f, std::string_view python) {
  Target t;
  t.markers = f.markers;
  // packaging.tags.INTERPRETER_SHORT_NAMES
  static constexpr std::pair<std::string_view, std::string_view> kShort[] = {
      {"python", "py"}, {"cpython", "cp"}, {"pypy", "pp"}, {"ironpython", "ip"}, {"jython", "jy"}};
  t.implementation = f.implementation_name;
  for (auto [name, abbrev] : kShort) {
    if (f.implementation_name == name) t.implementation = abbrev;
  }
  if (f.version.size() != 2) {
    throw TagError("cannot probe interpreter " + std::string(python) + ": no major.minor version");
  }
  t.python_version = Version::parse(std::to_string(f.version[0]) + "." + std::to_string(f.version[1]));
  t.abis = t.implementation == "cp" ? cpython_abis(f.version, abi_flags(f)) : generic_abis(f, python);
  if (f.system == "Darwin") {
    t.platforms = mac_platform_list(f, python);
  } else if (f.system == "Linux") {
    t.platforms = linux_platforms(f, python);
  } else {
    t.platforms = {tags_text::normalize_platform(f.sysconfig_platform)};
  }
  t.recompute_tags();
  return t;
}

}  // namespace thoth::probe_detail
