// Core metadata (a wheel's METADATA, an sdist's PKG-INFO, a PEP 658 .metadata file: bytes from an
// index) from any text.
#include "fuzz_target.hpp"
#include "thoth/metadata.hpp"

THOTH_FUZZ_TARGET(core_metadata) {
  thoth::fuzz::expect_error_or_value([&] {
    const thoth::CoreMetadata m = thoth::CoreMetadata::parse(data);
    (void)m.all("Requires-Dist");
    (void)m.all("classifier");
    (void)m.is_dynamic("Requires-Python");
    (void)m.dependencies_are_static();
    for (const auto& r : m.requires_dist) (void)r.str();
  });
}
