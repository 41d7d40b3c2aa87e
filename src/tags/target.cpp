// Target: tags from facts, probing an interpreter.
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
