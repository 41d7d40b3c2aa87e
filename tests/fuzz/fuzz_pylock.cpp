// PEP 751 pylock.toml files from any text (`thoth install --lock`, and a lock a user was sent); what is
// read is written again as an installation report (check_written).
#include "lock_checks.hpp"

THOTH_FUZZ_TARGET(pylock) {
  thoth::fuzz::expect_error_or_value([&] {
    const thoth::Lock lock = thoth::read_pylock(data, "pylock.toml");
    thoth::fuzz::touch_lock(lock);
    thoth::fuzz::check_written(lock);
  });
}
