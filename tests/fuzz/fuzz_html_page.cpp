// PEP 503 simple HTML project pages from any text (an index, or any server a find-links URL names).
#include "page_checks.hpp"

THOTH_FUZZ_TARGET(html_page) {
  thoth::fuzz::expect_error_or_value([&] {
    thoth::fuzz::check_page(thoth::parse_html_page(data, thoth::fuzz::kPageUrl, thoth::fuzz::kProject), 'h');
  });
  // A find-links page keeps every distribution whatever its project.
  thoth::fuzz::expect_error_or_value([&] { (void)thoth::parse_html_page(data, thoth::fuzz::kPageUrl, ""); });
}
