// PEP 751 pylock.toml files from any text (`thoth install --lock`, and a lock a user was sent).
#include "lock_checks.hpp"

THOTH_FUZZ_TARGET(pylock) {
  thoth::fuzz::expect_error_or_value([&] { thoth::fuzz::touch_lock(thoth::read_pylock(data, "pylock.toml")); });
}
