// PEP 440 versions and version specifiers.
//
// Versions are parsed leniently as packaging.version.Version does (case, separators, 'v' prefix,
// alternative spellings such as 'alpha', 'pre', 'rev', '-1' post releases) and kept in normalised
// form; str() prints the canonical spelling. Ordering follows PEP 440 "Summary of permitted suffixes
// and relative ordering".
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "thoth/error.hpp"

namespace thoth {

// Thrown for any text that is not a valid version or specifier. The message names the text and the
// position (0-based character offset) where parsing failed.
class VersionError : public Error {
 public:
  using Error::Error;
};

enum class PreKind : std::uint8_t { Alpha, Beta, Rc };  // a < b < rc

struct PreRelease {
  PreKind kind = PreKind::Alpha;
  std::uint64_t number = 0;
  friend bool operator==(const PreRelease&, const PreRelease&) = default;
};

// One dot-separated part of a local version label: a number or a lower-cased alphanumeric string.
using LocalSegment = std::variant<std::uint64_t, std::string>;

class Version {
 public:
  Version() = default;  // "0"

  // Throws VersionError. Numbers must fit in 64 bits (larger ones are rejected with an error).
  static Version parse(std::string_view text);
  static std::optional<Version> try_parse(std::string_view text) noexcept;

  std::uint64_t epoch() const { return epoch_; }
  const std::vector<std::uint64_t>& release() const { return release_; }
  const std::optional<PreRelease>& pre() const { return pre_; }
  const std::optional<std::uint64_t>& post() const { return post_; }
  const std::optional<std::uint64_t>& dev() const { return dev_; }
  const std::vector<LocalSegment>& local() const { return local_; }

  bool is_prerelease() const { return pre_.has_value() || dev_.has_value(); }  // PEP 440: dev counts
  bool is_postrelease() const { return post_.has_value(); }
  bool is_devrelease() const { return dev_.has_value(); }
  bool has_local() const { return !local_.empty(); }

  Version public_version() const;  // without the local label
  Version base_version() const;    // epoch + release only

  std::string str() const;  // normalised form, e.g. "1!2.0rc1.post3.dev4+ubuntu.1"

  // Total order of PEP 440 (trailing zeros of the release are insignificant: 1.0 == 1.0.0).
  friend std::strong_ordering operator<=>(const Version& a, const Version& b);
  friend bool operator==(const Version& a, const Version& b) { return (a <=> b) == 0; }

  // Consistent with ==, so 1.0 and 1.0.0 hash alike.
  std::size_t hash() const;

 private:
  std::uint64_t epoch_ = 0;
  std::vector<std::uint64_t> release_{0};
  std::optional<PreRelease> pre_;
  std::optional<std::uint64_t> post_;
  std::optional<std::uint64_t> dev_;
  std::vector<LocalSegment> local_;
  friend class VersionParser;
};

struct VersionHash {
  std::size_t operator()(const Version& v) const { return v.hash(); }
};

// PEP 440 "Version specifiers": one clause such as ">=1.0", "==1.*", "~=2.2", "===foo".
class Specifier {
 public:
  enum class Op : std::uint8_t {
    Compatible,    // ~=
    Equal,         // ==  (wildcard() for ==X.*)
    NotEqual,      // !=  (wildcard() for !=X.*)
    LessEqual,     // <=
    GreaterEqual,  // >=
    Less,          // <
    Greater,       // >
    Arbitrary,     // ===
  };

  static Specifier parse(std::string_view text);  // throws VersionError
  static Specifier make(Op op, Version version, bool wildcard = false);

  Op op() const { return op_; }
  const Version& version() const { return version_; }  // meaningless for ===
  bool wildcard() const { return wildcard_; }
  const std::string& arbitrary() const { return arbitrary_; }  // the string after ===

  // Whether the clause names a pre-release (then pre-releases are admitted by default), as
  // packaging.specifiers.Specifier.prereleases does.
  bool admits_prereleases() const;

  // Pure clause test, ignoring the pre-release default policy (callers apply that; see
  // SpecifierSet::contains).
  bool matches(const Version& v) const;

  std::string str() const;  // operator + version as written in normalised form, e.g. ">=1.0"
  friend bool operator==(const Specifier&, const Specifier&) = default;

 private:
  Op op_ = Op::GreaterEqual;
  Version version_;
  bool wildcard_ = false;
  std::string arbitrary_;
  std::string version_text_;  // the version as written, for === and str() of wildcards
};

// A comma-separated conjunction of specifiers. Empty means "any version".
class SpecifierSet {
 public:
  SpecifierSet() = default;
  static SpecifierSet parse(std::string_view text);  // throws VersionError; "" is the empty set

  const std::vector<Specifier>& specifiers() const { return specs_; }
  bool empty() const { return specs_.empty(); }
  void add(Specifier s) { specs_.push_back(std::move(s)); }
  SpecifierSet intersect(const SpecifierSet& other) const;  // concatenation

  // True if any clause names a pre-release.
  bool admits_prereleases() const;

  // PEP 440 "Handling of pre-releases": a pre-release matches only if `prereleases` is true, or it is
  // unset and some clause names a pre-release. Then every clause must match.
  bool contains(const Version& v, std::optional<bool> prereleases = std::nullopt) const;

  // packaging's SpecifierSet.filter: the matching versions; if none match except pre-releases and the
  // pre-release policy is unset, the matching pre-releases are returned. Order is kept.
  std::vector<Version> filter(const std::vector<Version>& versions,
                              std::optional<bool> prereleases = std::nullopt) const;

  std::string str() const;  // clauses sorted by their str(), comma-joined, as packaging prints them
  friend bool operator==(const SpecifierSet&, const SpecifierSet&) = default;

 private:
  std::vector<Specifier> specs_;
};

}  // namespace thoth
