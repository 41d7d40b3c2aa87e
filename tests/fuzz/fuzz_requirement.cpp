// PEP 508 requirement lines and project names from any text. Property: a parsed requirement reads back
// from its str() (packaging's normal form) as the same requirement, unless its marker holds a value
// that packaging's str() does not print faithfully.
#include <string>

#include "fuzz_target.hpp"
#include "thoth/pep508.hpp"

THOTH_FUZZ_TARGET(requirement) {
  thoth::fuzz::expect_error_or_value([&] {
    const thoth::Requirement r = thoth::Requirement::parse(data);
    const std::string s = r.str();
    if (!thoth::fuzz::marker_values_print_faithfully(data)) return;  // as packaging prints them
    const thoth::Requirement again = thoth::Requirement::parse(s);
    THOTH_FUZZ_CHECK(requirement, again.str() == s, s + " -> " + again.str());
    THOTH_FUZZ_CHECK(requirement, again.extras == r.extras && again.url == r.url, s);
    (void)r.normalized_name();
    (void)r.has_extra("Test_Extra");
  });
  (void)thoth::normalize_name(data);
  (void)thoth::is_valid_name(data);
}
