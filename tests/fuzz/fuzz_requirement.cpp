// PEP 508 requirement lines and project names from any text. Property: a parsed requirement reads back
// from its str() (packaging's normal form) with the same extras and URL, and the spelling settles,
// unless its marker holds a value that packaging's str() does not print faithfully.
#include <string>

#include "fuzz_target.hpp"
#include "thoth/pep508.hpp"

THOTH_FUZZ_TARGET(requirement) {
  thoth::fuzz::expect_error_or_value([&] {
    const thoth::Requirement r = thoth::Requirement::parse(data);
    const std::string s = r.str();
    if (!thoth::fuzz::marker_values_print_faithfully(data)) return;  // as packaging prints them
    const thoth::Requirement again = thoth::Requirement::parse(s);
    // A marker's spelling settles at the second print (see fuzz_marker.cpp).
    const std::string settled = again.str();
    THOTH_FUZZ_CHECK(requirement, thoth::Requirement::parse(settled).str() == settled, s + " -> " + settled);
    THOTH_FUZZ_CHECK(requirement, again.extras == r.extras && again.url == r.url, s);
    (void)r.normalized_name();
    (void)r.has_extra("Test_Extra");
  });
  (void)thoth::normalize_name(data);
  (void)thoth::is_valid_name(data);
}
