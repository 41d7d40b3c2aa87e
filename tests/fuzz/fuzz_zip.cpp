// Zip central directories and members from any bytes (a wheel from an index, read by ranges for its
// METADATA, or downloaded whole), under the limits a metadata read uses.
#include "fuzz_target.hpp"
#include "thoth/archive.hpp"

THOTH_FUZZ_TARGET(zip) {
  thoth::fuzz::expect_error_or_value([&] {
    thoth::MemoryByteSource source{std::string(data)};
    thoth::ZipReader zip(source, "demo-1.0-py3-none-any.whl", thoth::metadata_limits());
    thoth::fuzz::expect_error_or_value([&] { (void)thoth::read_wheel_metadata(zip); });
    for (const thoth::ZipEntry& e : zip.entries()) {
      (void)thoth::is_safe_member_path(e.name);
      thoth::fuzz::expect_error_or_value([&] { (void)zip.read(e); });
    }
  });
}
