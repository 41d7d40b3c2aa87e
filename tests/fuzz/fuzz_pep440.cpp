// PEP 440 versions and specifiers from any text, and Version::decode from any bytes (the cache's
// binary form is input too). Properties: a parsed version reads back from its normal form as the same
// version (same spelling, order and hash; see check_version for packaging's one exception), its binary
// form decodes to it, and a specifier set reads back from its str() as an equal set.
#include <optional>
#include <string>
#include <vector>

#include "fuzz_target.hpp"
#include "thoth/pep440.hpp"

namespace {

using thoth::SpecifierSet;
using thoth::Version;

// Versions on the edges of PEP 440's ordering, for the specifiers to be tested against.
const std::vector<Version>& probes() {
  static const std::vector<Version> all = [] {
    std::vector<Version> v;
    for (const char* s : {"0", "1.0", "1.0.0", "1.0a1", "1.0rc2.dev3", "1.0.post1", "1.0+local.7", "2!0.1",
                          "1.1.dev0", "3.11.4", "99999999999999999999.1"})
      v.push_back(Version::parse(s));
    return v;
  }();
  return all;
}

void check_version(std::string_view text) {
  const std::optional<Version> v = Version::try_parse(text);
  if (!v) return;
  const std::string s = v->str();
  // As packaging does, a local label's U+0130 (which [a-z] matches without case) lower-cases to "i" and
  // U+0307, which no version may hold: that normal form does not read back, in packaging either.
  if (s.find("\xCC\x87") == std::string::npos) {
    const std::optional<Version> again = Version::try_parse(s);
    THOTH_FUZZ_CHECK(pep440, again.has_value(), s);
    THOTH_FUZZ_CHECK(pep440, *again == *v && again->str() == s && again->hash() == v->hash(), s);
  }
  std::string bytes;
  v->encode(bytes);
  std::string_view in = bytes;
  const std::optional<Version> back = Version::decode(in);
  THOTH_FUZZ_CHECK(pep440, back.has_value() && in.empty(), s);
  THOTH_FUZZ_CHECK(pep440, *back == *v && back->str() == s, s);
  (void)v->public_version().str();
  (void)v->base_version().str();
  for (const Version& p : probes()) (void)(*v <=> p);
}

void check_specifiers(std::string_view text) {
  thoth::fuzz::expect_error_or_value([&] {
    const SpecifierSet set = SpecifierSet::parse(text);
    const std::string s = set.str();
    const SpecifierSet again = SpecifierSet::parse(s);
    THOTH_FUZZ_CHECK(pep440, again == set && again.str() == s, s);
    for (const Version& p : probes()) {
      const bool in = set.contains(p);
      THOTH_FUZZ_CHECK(pep440, again.contains(p) == in, s);
    }
    (void)set.filter(probes());
    (void)set.admits_prereleases();
  });
}

// Versions one after another, as a cache entry holds them: each decoded one re-encodes to bytes that
// decode to the same version.
void check_decode(std::string_view bytes) {
  std::string_view in = bytes;
  for (int i = 0; i < 64 && !in.empty(); ++i) {
    const std::optional<Version> v = Version::decode(in);
    if (!v) return;
    std::string again;
    v->encode(again);
    std::string_view rest = again;
    const std::optional<Version> back = Version::decode(rest);
    THOTH_FUZZ_CHECK(pep440, back && rest.empty() && *back == *v && back->str() == v->str(), v->str());
  }
}

}  // namespace

THOTH_FUZZ_TARGET(pep440) {
  check_version(data);
  check_specifiers(data);
  check_decode(data);
  // "SPECIFIERS\nVERSION": a set tested against a version of the input's choosing.
  const std::size_t nl = data.find('\n');
  if (nl != std::string_view::npos) {
    thoth::fuzz::expect_error_or_value([&] {
      const SpecifierSet set = SpecifierSet::parse(data.substr(0, nl));
      if (const auto v = Version::try_parse(data.substr(nl + 1))) {
        (void)set.contains(*v);
        (void)set.contains(*v, true);
      }
    });
  }
}
