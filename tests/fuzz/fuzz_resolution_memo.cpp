// Resolution memo records (thoth lock's derived-v1/resolutions) read back from the cache directory:
// cache bytes are untrusted. Property: a record that reads reads back the same once written again.
#include "fuzz_target.hpp"
#include "thoth/resolution_memo.hpp"

THOTH_FUZZ_TARGET(resolution_memo) {
  thoth::fuzz::expect_error_or_value([&] {
    const auto record = thoth::decode_memo(data);
    if (!record) return;
    (void)record->pins_match(record->pins_sha256);
    const auto again = thoth::decode_memo(thoth::encode_memo(*record));
    THOTH_FUZZ_CHECK(resolution_memo, again && again->output == record->output && again->target == record->target &&
                                          again->pins_sha256 == record->pins_sha256 &&
                                          again->pages.size() == record->pages.size(),
                     std::string(data.substr(0, 200)));
  });
}
