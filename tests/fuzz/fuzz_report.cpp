// pip's installation report JSON (`--report`, read back by `thoth install --lock report.json`) from any
// text, written again (check_written); and the format detection that
// picks a lock reader from a file's name and content.
#include "lock_checks.hpp"

THOTH_FUZZ_TARGET(report) {
  thoth::fuzz::expect_error_or_value([&] {
    const thoth::Lock lock = thoth::read_report(data, "report.json");
    thoth::fuzz::touch_lock(lock);
    thoth::fuzz::check_written(lock);
  });
  (void)thoth::detect_lock_format(data, "lock.txt");
}
