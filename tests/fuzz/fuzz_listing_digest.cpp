// Listing digests from any bytes: the cache directory is input too (a damaged or hostile cache must
// read as a miss, never as a crash). Every file of every candidate is decoded, as a resolution that
// reads them all would.
#include "page_checks.hpp"

THOTH_FUZZ_TARGET(listing_digest) {
  for (char format : {'j', 'h'}) {
    thoth::fuzz::expect_error_or_value([&] {
      const auto candidates = thoth::idx::decode_listing(thoth::fuzz::page_identity(format), std::string(data), 1);
      if (!candidates) return;
      std::vector<thoth::FileTraits> traits;
      const thoth::BinaryPolicy policy;
      for (const thoth::Candidate& c : *candidates) {
        c.files.traits(traits);
        (void)thoth::usable_files(c, thoth::fuzz::linux_target(), policy);
        for (const thoth::DistFile& f : c.files.get()) (void)f.sha256();
        (void)c.version.str();
      }
    });
  }
}
