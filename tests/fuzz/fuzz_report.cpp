// pip's installation report JSON (`--report`, read back by `thoth install --lock report.json`) from any
// text; and the format detection that picks a lock reader from a file's name and content.
#include "lock_checks.hpp"

THOTH_FUZZ_TARGET(report) {
  thoth::fuzz::expect_error_or_value([&] { thoth::fuzz::touch_lock(thoth::read_report(data, "report.json")); });
  (void)thoth::detect_lock_format(data, "lock.txt");
}
