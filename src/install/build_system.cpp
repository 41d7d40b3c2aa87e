// pyproject.toml's [build-system] (PEP 518), with PEP 517's fallback for source trees without one.
#include <fstream>
#include <sstream>
#include <system_error>

// Header-only, as in src/lock/pylock_reader.cpp: no libtomlplusplus.so to load at every start.

#include "thoth/build.hpp"
#include "base/toml_document.hpp"

namespace thoth {

namespace {

// PEP 517 "Source trees": a tree without build-backend is built by setuptools' legacy backend, and
// PEP 518 "build-system table": without the table, a front end should act as if requires were
// ["setuptools>=40.8.0"] (pip's value; older pip added "wheel", which setuptools' backend asks for
// itself through get_requires_for_build_wheel).
constexpr std::string_view kLegacyBackend = "setuptools.build_meta:__legacy__";
constexpr std::string_view kLegacyRequirement = "setuptools>=40.8.0";

BuildSystem legacy_default() {
  BuildSystem system;
  system.requirements = {std::string(kLegacyRequirement)};
  system.backend = std::string(kLegacyBackend);
  return system;
}

std::vector<std::string> string_array(const toml::node* node, const std::string& key, const std::string& label) {
  const toml::array* array = node != nullptr ? node->as_array() : nullptr;
  if (array == nullptr)
    throw InstallError(label + ": [build-system] " + key + " must be an array of strings (PEP 518)");
  std::vector<std::string> out;
  for (const toml::node& item : *array) {
    const auto* text = item.as_string();
    if (text == nullptr)
      throw InstallError(label + ": [build-system] " + key + " must be an array of strings (PEP 518)");
    out.push_back(text->get());
  }
  return out;
}

// PEP 517 "In-tree build backends": backend-path entries are relative to the source tree and must
// stay inside it (front ends should refuse others).
void check_backend_path(const std::string& entry, const std::string& label) {
  std::filesystem::path p(entry);
  bool inside = !p.is_absolute();
  for (const auto& part : p.lexically_normal()) inside = inside && part != "..";
  if (!inside)
    throw InstallError(label + ": [build-system] backend-path entry '" + entry +
                       "' is outside the source tree (PEP 517 allows only paths within it)");
}

}  // namespace

BuildSystem parse_build_system(std::string_view text, const std::string& label) {
  toml::table doc = base::parse_toml<InstallError>(text, label);
  const toml::node* table_node = doc.get("build-system");
  if (table_node == nullptr) return legacy_default();
  const toml::table* table = table_node->as_table();
  if (table == nullptr) throw InstallError(label + ": build-system must be a table (PEP 518)");
  if (table->get("requires") == nullptr)
    throw InstallError(label + ": [build-system] has no requires key, which PEP 518 makes mandatory (add "
                       "requires = [...] naming the build's requirements)");
  BuildSystem system;
  system.from_pyproject = true;
  system.requirements = string_array(table->get("requires"), "requires", label);
  if (const toml::node* backend = table->get("build-backend")) {
    const auto* name = backend->as_string();
    if (name == nullptr || name->get().empty())
      throw InstallError(label + ": [build-system] build-backend must be a string naming a module (PEP 517)");
    system.backend = name->get();
  } else {
    system.backend = std::string(kLegacyBackend);
  }
  if (const toml::node* path = table->get("backend-path")) {
    system.backend_path = string_array(path, "backend-path", label);
    for (const std::string& entry : system.backend_path) check_backend_path(entry, label);
  }
  return system;
}

BuildSystem read_build_system(const std::filesystem::path& source_dir) {
  const std::filesystem::path file = source_dir / "pyproject.toml";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return legacy_default();
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw InstallError("cannot read " + file.string());
  return parse_build_system(text.str(), file.string());
}

}  // namespace thoth
