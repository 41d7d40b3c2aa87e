#include "install/layout.hpp"

#include <charconv>
#include <unordered_map>

#include "install/ini.hpp"
#include "install/scripts.hpp"
#include "thoth/pep508.hpp"
#include "thoth/tags.hpp"

namespace thoth::install_detail {
namespace {

std::string label_of(const WheelToInstall& wheel) {
  return wheel.filename.empty() ? wheel.file.filename().string() : wheel.filename;
}

// Binary distribution format, "Installing a wheel", step 1: fail on a newer major Wheel-Version,
// warn on a newer minor one (this installer implements 1.0).
void check_wheel_version(const std::string& wheel_text, const std::string& label, std::vector<std::string>& warnings) {
  std::string version = header_value(wheel_text, "Wheel-Version");
  std::size_t dot = version.find('.');
  unsigned major = 0, minor = 0;
  bool ok = dot != std::string::npos;
  if (ok) {
    auto r1 = std::from_chars(version.data(), version.data() + dot, major);
    auto r2 = std::from_chars(version.data() + dot + 1, version.data() + version.size(), minor);
    ok = r1.ec == std::errc() && r1.ptr == version.data() + dot && r2.ec == std::errc() &&
         r2.ptr == version.data() + version.size();
  }
  if (!ok) throw InstallError(label + ": WHEEL has no valid Wheel-Version (\"" + version + "\"); the wheel is malformed, rebuild it");
  if (major != 1)
    throw InstallError(label + ": Wheel-Version " + version + " is not supported (thoth installs 1.x); use a wheel built for 1.0");
  if (minor > 0) warnings.push_back(label + ": Wheel-Version " + version + " is newer than 1.0; installing it as 1.0");
}

const std::filesystem::path& scheme_dir(const InstallScheme& scheme, std::string_view key) {
  if (key == "purelib") return scheme.purelib;
  if (key == "platlib") return scheme.platlib;
  if (key == "scripts") return scheme.scripts;
  if (key == "data") return scheme.data;
  return scheme.headers;  // "headers", checked by the caller
}

// The lib-dir-relative files the installer writes itself; the wheel's own copies are not installed.
bool replaced_by_installer(std::string_view file) {
  return file == "RECORD" || file == "INSTALLER" || file == "REQUESTED" || file == "direct_url.json";
}

}  // namespace

std::string join(const std::filesystem::path& dir, std::string_view relative) {
  std::string out = dir.native();
  if (out.empty() || out.back() != '/') out += '/';
  out += relative;
  return out;
}

std::string record_path(const std::string& destination, const std::filesystem::path& lib_dir) {
  const std::string& lib = lib_dir.native();
  if (destination.size() > lib.size() + 1 && destination.starts_with(lib) && destination[lib.size()] == '/')
    return destination.substr(lib.size() + 1);
  return std::filesystem::path(destination).lexically_relative(lib_dir).generic_string();
}

WheelLayout lay_out_wheel(UnpackedWheel unpacked, const WheelToInstall& wheel, const InstallEnvironment& env,
                          const InstallOptions& options) {
  const std::string label = label_of(wheel);
  WheelLayout layout;
  std::string dist_info;
  for (const ManifestEntry& e : unpacked.manifest) {
    std::string_view top = std::string_view(e.path).substr(0, e.path.find('/'));
    if (top.size() < e.path.size() && top.ends_with(".dist-info")) dist_info = std::string(top);
  }
  auto read_member = [&](std::string_view file) -> std::optional<std::string> {
    return read_small_file(unpacked.files / dist_info / std::string(file));
  };
  std::optional<std::string> wheel_text = read_member("WHEEL");
  if (!wheel_text) throw InstallError(label + ": the wheel has no " + dist_info + "/WHEEL; it is malformed, rebuild it");
  check_wheel_version(*wheel_text, label, layout.warnings);
  std::optional<std::string> metadata_text = read_member("METADATA");
  if (!metadata_text) throw InstallError(label + ": the wheel has no " + dist_info + "/METADATA; it is malformed, rebuild it");
  // Only Name and Version are needed here; the rest of METADATA is the resolver's business.
  layout.display_name = header_value(*metadata_text, "Name");
  layout.version = header_value(*metadata_text, "Version");
  if (layout.display_name.empty() || layout.version.empty())
    throw InstallError(label + ": its METADATA has no Name or no Version; the wheel is malformed, rebuild it");
  layout.name = normalize_name(layout.display_name);
  // "The .dist-info directory" is named <name>-<version>.dist-info after the escaped project name;
  // pip refuses a wheel whose directory names another project.
  if (normalize_name(dist_info.substr(0, dist_info.find('-'))) != layout.name)
    throw InstallError(label + ": its " + dist_info + " does not belong to " + layout.display_name +
                       " (METADATA's Name); the wheel is malformed, rebuild it");
  try {
    WheelName parsed = WheelName::parse(label);
    if (parsed.name != layout.name)
      throw InstallError(label + ": the file name names " + parsed.name + " but the wheel contains " + layout.display_name +
                         "; rename or rebuild the wheel");
  } catch (const TagError&) {
    // Not named after the wheel (a cached download): the .dist-info directory is the authority.
  }

  // "Installing a wheel", step 1: Root-Is-Purelib decides where the root of the archive goes.
  bool purelib = header_value(*wheel_text, "Root-Is-Purelib") == "true";
  layout.lib_dir = purelib ? env.scheme.purelib : env.scheme.platlib;
  layout.dist_info = layout.lib_dir / dist_info;

  std::unordered_map<std::string, std::size_t> by_destination;
  auto place = [&](PlacedFile file) {
    auto [it, fresh] = by_destination.emplace(file.destination, layout.files.size());
    if (fresh) {
      layout.files.push_back(std::move(file));
    } else {
      layout.files[it->second] = std::move(file);  // a later file for the same path wins, as pip clobbers
    }
  };
  for (const ManifestEntry& e : unpacked.manifest) {
    std::string_view path = e.path;
    std::string_view top = path.substr(0, path.find('/'));
    PlacedFile file;
    file.source = join(unpacked.files, e.path);
    file.executable = e.executable;
    file.hash = e.hash;
    file.size = e.size;
    if (top == dist_info) {
      if (replaced_by_installer(path.substr(top.size() + 1))) continue;
      file.destination = join(layout.lib_dir, e.path);
    } else if (top.ends_with(".data") && top.size() < path.size()) {
      // "Installing a wheel", step 2.c: each subtree of <name>-<version>.data/ moves to the path
      // of its scheme key.
      std::string_view rest = path.substr(top.size() + 1);
      std::size_t slash = rest.find('/');
      std::string_view key = rest.substr(0, slash);
      if (slash == std::string_view::npos || (key != "purelib" && key != "platlib" && key != "scripts" &&
                                              key != "headers" && key != "data"))
        throw InstallError(label + ": " + e.path + " is not under a known .data scheme (purelib, platlib, scripts, " +
                           "headers, data); the wheel is malformed, rebuild it");
      std::filesystem::path base = scheme_dir(env.scheme, key);
      if (key == "headers") base /= layout.display_name;
      file.destination = join(base, rest.substr(slash + 1));
      if (key == "scripts") {
        // Step 2.e: "#!python" becomes the target interpreter. Scripts are made executable.
        file.executable = true;
        std::optional<std::string> text = read_small_file(file.source);
        if (!text) throw InstallError("cannot read " + file.source + " from the wheel cache; run thoth cache clean");
        if (std::optional<std::string> fixed = rewrite_python_shebang(*text, env.executable)) {
          file.source.clear();
          file.content = std::move(*fixed);
          file.hash = record_hash(file.content);
          file.size = file.content.size();
        }
      }
    } else {
      file.destination = join(layout.lib_dir, e.path);
    }
    place(std::move(file));
  }

  auto generate = [&](const std::filesystem::path& destination, std::string content, bool executable) {
    PlacedFile file;
    file.destination = destination.native();
    file.hash = record_hash(content);
    file.size = content.size();
    file.content = std::move(content);
    file.executable = executable;
    place(std::move(file));
  };
  if (std::optional<std::string> entry_points = read_member("entry_points.txt"))
    for (Launcher& launcher : make_launchers(*entry_points, env.executable, env.version, label))
      generate(env.scheme.scripts / launcher.name, std::move(launcher.content), true);
  // "Recording installed projects": INSTALLER, REQUESTED (PEP 376), direct_url.json (PEP 610).
  generate(layout.dist_info / "INSTALLER", options.installer + "\n", false);
  if (wheel.requested) generate(layout.dist_info / "REQUESTED", "", false);
  if (wheel.direct_url) generate(layout.dist_info / "direct_url.json", format_direct_url(*wheel.direct_url), false);
  layout.unpacked = std::move(unpacked);
  return layout;
}

std::string installed_record(const WheelLayout& layout, const std::vector<std::string>& compiled) {
  std::vector<RecordEntry> rows;
  rows.reserve(layout.files.size() + compiled.size() + 1);
  for (const PlacedFile& f : layout.files) rows.push_back({record_path(f.destination, layout.lib_dir), f.hash, f.size});
  // pip lists compiled files without hash or size.
  for (const std::string& pyc : compiled) rows.push_back({record_path(pyc, layout.lib_dir), "", std::nullopt});
  rows.push_back({record_path((layout.dist_info / "RECORD").native(), layout.lib_dir), "", std::nullopt});
  return format_record(std::move(rows));
}

}  // namespace thoth::install_detail
