// What the index-page fuzz targets do with a page once parsed, as a resolution would: group its files
// into candidates, choose the usable files for a Linux CPython 3.11 target, and keep the candidates in
// a listing digest. Property: the digest reads back as the same candidates, file for file.
#pragma once

#include <string>
#include <vector>

#include "fuzz_target.hpp"
#include "index/listing_digest.hpp"
#include "thoth/index.hpp"
#include "thoth/target.hpp"

namespace thoth::fuzz {

inline constexpr std::string_view kPageUrl = "https://example.org/simple/demo/";
inline constexpr std::string_view kProject = "demo";

inline const Target& linux_target() {
  static const Target target =
      Target::from_json(R"({"python_version": "3.11", "platform": "manylinux_2_17_x86_64"})");
  return target;
}

// The identity the listing_digest target's seeds were written with (tests/fuzz/README.md).
inline idx::PageIdentity page_identity(char format) {
  static constexpr std::string_view kSha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  return idx::PageIdentity{kProject, kPageUrl, format, kSha};
}

inline void check_page(const ProjectPage& page, char format) {
  const std::vector<Candidate> candidates = group_candidates(kProject, page.files);
  const BinaryPolicy policy;
  const Version python = requires_python_version(linux_target());
  for (const Candidate& c : candidates) {
    (void)usable_files(c, linux_target(), policy);
    (void)c.yanked();
    for (const DistFile& f : c.files.get()) (void)python_matches(f.requires_python, python);
  }
  const idx::PageIdentity id = page_identity(format);
  const std::optional<std::vector<Candidate>> back = idx::decode_listing(id, idx::encode_listing(id, candidates));
  THOTH_FUZZ_CHECK(page, back.has_value() && back->size() == candidates.size(), "digest round trip");
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& a = candidates[i];
    const Candidate& b = (*back)[i];
    THOTH_FUZZ_CHECK(page, a.name == b.name && a.version == b.version && a.version.str() == b.version.str(),
                     a.version.str());
    THOTH_FUZZ_CHECK(page, a.files.get() == b.files.get(), a.version.str());
  }
}

}  // namespace thoth::fuzz
