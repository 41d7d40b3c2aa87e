// Version: parsing entry points, normalised text, ordering and hashing.
#include <algorithm>
#include <functional>
#include <span>
#include <utility>

#include "pep440/text.hpp"
#include "pep440/version_format.hpp"
#include "pep440/version_parser.hpp"
#include "thoth/pep440.hpp"

namespace thoth {

namespace {

// Parses the whole text (surrounding whitespace allowed); on failure fills `error`.
bool parse_whole(std::string_view text, Version& out, std::string* error) {
  VersionParser p(text, pep440::skip_space(text, 0));
  if (p.parse({}, out)) {
    p.skip_space();
    if (p.at_end()) return true;
    p.fail_unexpected();
  }
  if (error) *error = "invalid version " + pep440::quote(text) + ": " + p.error();
  return false;
}

}  // namespace

Version Version::parse(std::string_view text) {
  Version v = VersionParser::blank();
  std::string error;
  if (!parse_whole(text, v, &error)) throw VersionError(error);
  return v;
}

std::optional<Version> Version::try_parse(std::string_view text) noexcept {
  Version v = VersionParser::blank();
  if (!parse_whole(text, v, nullptr)) return std::nullopt;
  return v;
}

Version Version::public_version() const {
  Version v(Blank{});
  v.epoch_ = epoch_;
  v.release_ = release_;
  v.pre_ = pre_;
  v.post_ = post_;
  v.dev_ = dev_;
  v.bigs_ = bigs_;  // the fields above may name them
  return v;
}

Version Version::base_version() const {
  Version v(Blank{});
  v.epoch_ = epoch_;
  v.release_ = release_;
  v.bigs_ = bigs_;  // the fields above may name them
  return v;
}

std::string_view Version::big_digits(std::uint64_t field) const {
  if (!is_big(field) || field - kBigNumber >= bigs_.size()) return {};
  return bigs_[field - kBigNumber];
}

std::string Version::number_text(std::uint64_t field) const {
  return is_big(field) ? std::string(big_digits(field)) : std::to_string(field);
}

std::string Version::str() const {
  std::string out;
  out.reserve(16);
  pep440::write_version(*this, [&](std::string_view piece) { out.append(piece); });
  return out;
}

namespace pep440 {

namespace {

// packaging's _cmpkey pre slot: a release with only a dev segment (no pre, no post) sorts before
// every pre-release of it (PEP 440 "Summary of permitted suffixes and relative ordering":
// 1.0.dev1 < 1.0a1), a final release after them. The number is a field of `v` (compare_numbers).
std::pair<int, std::uint64_t> pre_key(const Version& v) {
  if (!v.pre() && !v.post() && v.dev()) return {0, 0};
  if (!v.pre()) return {4, 0};
  return {1 + static_cast<int>(v.pre()->kind), v.pre()->number};
}

// No post-release sorts before any post-release.
std::pair<int, std::uint64_t> post_key(const Version& v) {
  return v.post() ? std::pair<int, std::uint64_t>{1, *v.post()} : std::pair<int, std::uint64_t>{0, 0};
}

// A dev release sorts before the same version without dev.
std::pair<int, std::uint64_t> dev_key(const Version& v) {
  return v.dev() ? std::pair<int, std::uint64_t>{0, *v.dev()} : std::pair<int, std::uint64_t>{1, 0};
}

// A (rank, number) key of a and one of b: by rank, then by number.
std::strong_ordering compare_keys(const Version& a, std::pair<int, std::uint64_t> ka, const Version& b,
                                  std::pair<int, std::uint64_t> kb) {
  if (auto c = ka.first <=> kb.first; c != 0) return c;
  return compare_numbers(a, ka.second, b, kb.second);
}

// PEP 440 "Local version identifiers" ordering: numeric segments compare as numbers and sort after
// alphanumeric ones, which compare as (lower-cased) strings; a shorter label that is a prefix of a
// longer one sorts first.
std::strong_ordering compare_segment(const Version& va, const LocalSegment& a, const Version& vb, const LocalSegment& b) {
  const auto* na = std::get_if<std::uint64_t>(&a);
  const auto* nb = std::get_if<std::uint64_t>(&b);
  if (na && nb) return compare_numbers(va, *na, vb, *nb);
  if (na) return std::strong_ordering::greater;
  if (nb) return std::strong_ordering::less;
  return std::get<std::string>(a) <=> std::get<std::string>(b);
}

}  // namespace

std::strong_ordering compare_versions(const Version& a, const Version& b, bool with_local) {
  if (auto c = compare_numbers(a, a.epoch(), b, b.epoch()); c != 0) return c;
  // Trailing zeros are insignificant (PEP 440 "Final releases": 1.0 == 1.0.0), which is the same
  // as padding the shorter release with zeros.
  std::span<const std::uint64_t> ra = a.release();
  std::span<const std::uint64_t> rb = b.release();
  std::size_t n = std::max(ra.size(), rb.size());
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t x = i < ra.size() ? ra[i] : 0;
    std::uint64_t y = i < rb.size() ? rb[i] : 0;
    if (auto c = compare_numbers(a, x, b, y); c != 0) return c;
  }
  if (auto c = compare_keys(a, pre_key(a), b, pre_key(b)); c != 0) return c;
  if (auto c = compare_keys(a, post_key(a), b, post_key(b)); c != 0) return c;
  if (auto c = compare_keys(a, dev_key(a), b, dev_key(b)); c != 0) return c;
  if (!with_local) return std::strong_ordering::equal;
  // A version without a local label sorts before the same version with one.
  const auto& la = a.local();
  const auto& lb = b.local();
  std::size_t m = std::min(la.size(), lb.size());
  for (std::size_t i = 0; i < m; ++i) {
    if (auto c = compare_segment(a, la[i], b, lb[i]); c != 0) return c;
  }
  return la.size() <=> lb.size();
}

bool same_base(const Version& a, const Version& b) {
  if (compare_numbers(a, a.epoch(), b, b.epoch()) != 0) return false;
  std::span<const std::uint64_t> ra = a.release();
  std::span<const std::uint64_t> rb = b.release();
  std::size_t n = std::max(ra.size(), rb.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (compare_numbers(a, i < ra.size() ? ra[i] : 0, b, i < rb.size() ? rb[i] : 0) != 0) return false;
  }
  return true;
}

}  // namespace pep440

std::strong_ordering operator<=>(const Version& a, const Version& b) {
  return pep440::compare_versions(a, b, true);
}

namespace {

std::size_t mix(std::size_t h, std::uint64_t x) {
  // One multiply per field; Version::hash() finishes with a full avalanche.
  return static_cast<std::size_t>((h ^ x) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL);
}

std::size_t finish(std::uint64_t z) {
  // splitmix64 finaliser: spreads the bits so hash tables can use the low ones.
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<std::size_t>(z ^ (z >> 31));
}

}  // namespace

std::size_t Version::hash() const {
  // Hash exactly what compare_versions looks at, so equal versions hash alike: a big number by its
  // digits (which have no leading zeros), not by its index.
  auto num = [this](std::uint64_t field) -> std::uint64_t {
    if (!is_big(field)) return field;
    return kBigNumber | std::hash<std::string_view>{}(big_digits(field));
  };
  std::size_t h = mix(0, num(epoch_));
  std::span<const std::uint64_t> release = release_.view();
  std::size_t n = pep440::significant_release_length(release);
  for (std::size_t i = 0; i < n; ++i) h = mix(h, num(release[i]));
  h = mix(h, n);
  auto [pre_rank, pre_n] = pep440::pre_key(*this);
  h = mix(mix(h, static_cast<std::uint64_t>(pre_rank)), num(pre_n));
  h = mix(mix(h, post_.has_value()), num(post_.value_or(0)));
  h = mix(mix(h, dev_.has_value()), num(dev_.value_or(0)));
  for (const LocalSegment& seg : local_) {
    if (const auto* number = std::get_if<std::uint64_t>(&seg)) {
      h = mix(mix(h, 1), num(*number));
    } else {
      h = mix(mix(h, 2), std::hash<std::string>{}(std::get<std::string>(seg)));
    }
  }
  return finish(mix(h, local_.size()));
}

}  // namespace thoth
