// The two JSON documents a target comes from: a target file (--target-env, `thoth env` output) and the
// answer of the interpreter probe (--python runs an interpreter the user names; its answer is cached
// and read back). Property: a target read from a document reads back from its to_json() as the same
// target.
#include <string>

#include "fuzz_target.hpp"
#include "thoth/target.hpp"

THOTH_FUZZ_TARGET(target_json) {
  thoth::fuzz::expect_error_or_value([&] {
    const thoth::Target t = thoth::Target::from_json(data);
    const std::string json = t.to_json();
    const thoth::Target again = thoth::Target::from_json(json);
    THOTH_FUZZ_CHECK(target_json, again == t && again.to_json() == json, json);
  });
  thoth::fuzz::expect_error_or_value([&] {
    const thoth::Target t = thoth::Target::from_probe_facts(data, "/usr/bin/python3");
    (void)t.to_json();
  });
}
