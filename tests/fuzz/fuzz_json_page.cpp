// PEP 691 simple JSON project pages from any text.
#include "page_checks.hpp"

THOTH_FUZZ_TARGET(json_page) {
  thoth::fuzz::expect_error_or_value([&] {
    thoth::fuzz::check_page(thoth::parse_json_page(data, thoth::fuzz::kPageUrl, thoth::fuzz::kProject), 'j');
  });
}
