// Target: tags from facts, probing an interpreter.
#include <filesystem>

#include "tags/interpreter_facts.hpp"
#include "tags/text.hpp"
#include "thoth/target.hpp"
#include "base/ascii.hpp"

namespace thoth {

void Target::recompute_tags() {
  std::vector<Tag> tags = supported_tags(implementation, python_version.release(), abis, platforms);
  // packaging.tags.Tag keeps every part lower-cased.
  for (Tag& t : tags) {
    t.interpreter = base::ascii_lower(t.interpreter);
    t.abi = base::ascii_lower(t.abi);
    t.platform = base::ascii_lower(t.platform);
  }
  this->tags = TagSet(std::move(tags));
}

Target Target::probe(const std::string& python_path) { return from_probe_facts(probe_facts(python_path), python_path); }

std::string Target::probe_facts(const std::string& python_path) {
  if (python_path.empty()) throw TagError("cannot probe interpreter: empty path");
  // Said in the user's terms: exec() of a directory or of a file without execute permission fails
  // with EACCES, "Permission denied", which suggests the wrong fix.
  std::error_code ec;
  const auto status = std::filesystem::status(python_path, ec);
  const bool is_path = python_path.find('/') != std::string::npos;
  if (is_path && std::filesystem::is_directory(status)) {
    throw TagError("cannot probe interpreter " + python_path +
                   ": it is a directory, not a Python interpreter (give the path of a python executable, e.g. " +
                   (std::filesystem::path(python_path) / "bin" / "python").string() + ")");
  }
  if (is_path && std::filesystem::is_regular_file(status) &&
      (status.permissions() & std::filesystem::perms::owner_exec) == std::filesystem::perms::none &&
      (status.permissions() & std::filesystem::perms::others_exec) == std::filesystem::perms::none &&
      (status.permissions() & std::filesystem::perms::group_exec) == std::filesystem::perms::none) {
    throw TagError("cannot probe interpreter " + python_path + ": it is not executable, so not a Python interpreter");
  }
  // -I: ignore PYTHON* variables and the user's site directory; -S: no site module, so nothing the
  // environment installed can run or print before the script.
  constexpr int kTimeoutSeconds = 120;
  return probe_detail::run_capture({python_path, "-I", "-S", "-c", std::string(probe_detail::probe_script())},
                                   kTimeoutSeconds);
}

Target Target::from_probe_facts(std::string_view facts_json, const std::string& python_path) {
  probe_detail::InterpreterFacts facts = probe_detail::parse_facts(facts_json, python_path);
  try {
    return probe_detail::target_from_facts(facts, python_path);
  } catch (const VersionError& e) {
    throw TagError("cannot probe interpreter " + python_path + ": " + e.what());
  }
}

std::string_view Target::probe_script() { return probe_detail::probe_script(); }

}  // namespace thoth
