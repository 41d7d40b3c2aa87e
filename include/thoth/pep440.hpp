// PEP 440 versions and version specifiers.
//
// Versions are parsed leniently as packaging.version.Version does (case, separators, 'v' prefix,
// alternative spellings such as 'alpha', 'pre', 'rev', '-1' post releases) and kept in normalised
// form; str() prints the canonical spelling. Ordering follows PEP 440 "Summary of permitted suffixes
// and relative ordering".
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
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

  // Throws VersionError. Numbers have no bound (PEP 440 sets none; see kBigNumber). Text is UTF-8. Surrounding Unicode whitespace is ignored and local labels accept the four
  // non-ASCII letters Python's case-insensitive [a-z] matches, as packaging does; non-ASCII letters in
  // the pre/post/dev words (which packaging turns into unnormalisable keys) are rejected.
  static Version parse(std::string_view text);
  static std::optional<Version> try_parse(std::string_view text) noexcept;

  // Every number of a version (epoch, release, pre, post, dev, numeric local segments) is a field of
  // 64 bits. Numbers below 2^63 are the field itself; a larger one ("1.99999999999999999999") is kept
  // as its decimal digits in the version, and its field holds kBigNumber + i, i indexing them. Such a
  // field means nothing outside its own version: compare numbers through versions (operator<=>), and
  // spell one with number_text().
  static constexpr std::uint64_t kBigNumber = std::uint64_t{1} << 63;
  static bool is_big(std::uint64_t field) { return field >= kBigNumber; }
  bool has_big_numbers() const { return bigs_.size() != 0; }
  // The decimal digits of a big number field of this version (no leading zero), "" for a small one.
  std::string_view big_digits(std::uint64_t field) const;
  // The decimal spelling of any number field of this version.
  std::string number_text(std::uint64_t field) const;

  std::uint64_t epoch() const { return epoch_; }
  // The release numbers as written, trailing zeros included ("1.0.0" -> {1, 0, 0}).
  std::span<const std::uint64_t> release() const { return release_.view(); }
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

  // A compact binary form for thoth's own caches (not an exchange format): every part as parsed, so
  // decode(encode(v)) prints and compares as v. encode appends to `out`; decode reads one version from
  // the front of `in` and advances it, or returns nullopt (leaving `in` unspecified) for bytes that
  // are not one. Decoding costs a tenth of parsing the text.
  void encode(std::string& out) const;
  static std::optional<Version> decode(std::string_view& in);

 private:
  // The release numbers: up to kInline of them are kept in the object itself, longer releases on the
  // heap, so parsing and copying a version allocates nothing in the common case. kInline is 4:
  // release segments on package indexes are nearly always 1 to 3 numbers (semver "2.31.0", calver
  // "2023.10.1"), 4 covers the "1.2.3.4" style and Python's "3.11.4" variants, and 5 or more are rare
  // enough that each extra slot (8 bytes in every Version of every candidate list) would not pay.
  class Release {
   public:
    static constexpr std::size_t kInline = 4;

    Release() = default;  // empty
    Release(const Release& other) : inline_(other.inline_), size_(other.size_) {
      if (other.heap_) copy_to_heap(other.view());
    }
    Release(Release&& other) noexcept
        : inline_(other.inline_), size_(other.size_), capacity_(other.capacity_), heap_(std::move(other.heap_)) {
      other.clear();
    }
    Release& operator=(const Release& other) {
      if (this == &other) return *this;
      if (!other.heap_) {
        heap_.reset();
        capacity_ = 0;
        inline_ = other.inline_;
        size_ = other.size_;
      } else if (capacity_ >= other.size_) {
        std::copy(other.view().begin(), other.view().end(), heap_.get());  // reuses our buffer
        size_ = other.size_;
      } else {
        copy_to_heap(other.view());
      }
      return *this;
    }
    Release& operator=(Release&& other) noexcept {
      if (this == &other) return *this;
      inline_ = other.inline_;
      size_ = other.size_;
      capacity_ = other.capacity_;
      heap_ = std::move(other.heap_);
      other.clear();
      return *this;
    }
    ~Release() = default;

    std::span<const std::uint64_t> view() const {
      return {heap_ ? heap_.get() : inline_.data(), size_};
    }
    std::size_t size() const { return size_; }

    void push_back(std::uint64_t n) {
      if (!heap_ && size_ < kInline) {
        inline_[size_++] = n;
        return;
      }
      if (!heap_ || size_ == capacity_) grow();
      heap_[size_++] = n;
    }

   private:
    void clear() {
      size_ = 0;
      capacity_ = 0;
    }
    // Replaces the contents with `numbers` (more than kInline of them) in a buffer of exactly that size.
    void copy_to_heap(std::span<const std::uint64_t> numbers) {
      auto buffer = std::make_unique_for_overwrite<std::uint64_t[]>(numbers.size());
      std::copy(numbers.begin(), numbers.end(), buffer.get());
      heap_ = std::move(buffer);
      size_ = capacity_ = numbers.size();
    }
    // Doubles the heap buffer (the first time, moves the inline numbers to a new one).
    void grow() {
      std::size_t capacity = std::max<std::size_t>(2 * kInline, 2 * size_);
      auto buffer = std::make_unique_for_overwrite<std::uint64_t[]>(capacity);
      std::copy(view().begin(), view().end(), buffer.get());
      heap_ = std::move(buffer);
      capacity_ = capacity;
    }

    std::array<std::uint64_t, kInline> inline_{};  // the numbers while heap_ is null
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;                     // of heap_
    std::unique_ptr<std::uint64_t[]> heap_;        // all the numbers once there are more than kInline
  };

  // The digits of the big numbers, in the order they were added; nothing allocated when there are
  // none (the usual case: one pointer in every Version). Copies copy the digits.
  class BigDigits {
   public:
    BigDigits() = default;
    BigDigits(const BigDigits& other)
        : list_(other.list_ ? std::make_unique<std::vector<std::string>>(*other.list_) : nullptr) {}
    BigDigits(BigDigits&&) noexcept = default;
    BigDigits& operator=(const BigDigits& other) {
      if (this != &other) list_ = other.list_ ? std::make_unique<std::vector<std::string>>(*other.list_) : nullptr;
      return *this;
    }
    BigDigits& operator=(BigDigits&&) noexcept = default;
    ~BigDigits() = default;

    std::size_t size() const { return list_ ? list_->size() : 0; }
    const std::string& operator[](std::size_t i) const { return (*list_)[i]; }
    // Keeps `digits` and returns the field that names them.
    std::uint64_t add(std::string digits) {
      if (!list_) list_ = std::make_unique<std::vector<std::string>>();
      list_->push_back(std::move(digits));
      return kBigNumber + (list_->size() - 1);
    }

   private:
    std::unique_ptr<std::vector<std::string>> list_;
  };

  static Release zero_release() {
    Release r;
    r.push_back(0);
    return r;
  }

  std::uint64_t epoch_ = 0;
  Release release_ = zero_release();
  std::optional<PreRelease> pre_;
  std::optional<std::uint64_t> post_;
  std::optional<std::uint64_t> dev_;
  std::vector<LocalSegment> local_;
  BigDigits bigs_;

  // A version with an empty release, for the parser to fill without first allocating the default {0}.
  struct Blank {};
  explicit Version(Blank) : release_() {}
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
  // The version named (without ".*"). For === the text read as a version if it is one, else "0".
  const Version& version() const { return version_; }
  bool wildcard() const { return wildcard_; }
  const std::string& arbitrary() const { return arbitrary_; }  // the string after ===

  // Whether the clause names a pre-release (then pre-releases are admitted by default), as
  // packaging.specifiers.Specifier.prereleases does. (For === text that is no version packaging
  // raises; here it names no pre-release.)
  bool admits_prereleases() const;

  // Pure clause test, ignoring the pre-release default policy (callers apply that; see
  // SpecifierSet::contains).
  bool matches(const Version& v) const;

  // Operator + version exactly as written (whitespace removed), as packaging's str(Specifier):
  // ">= v1.0" prints ">=v1.0".
  std::string str() const;

  // packaging's Specifier.__eq__: same operator and same canonical version (trailing ".0" ignored
  // except for ~=), so "==1.2" equals "== 1.2.0".
  friend bool operator==(const Specifier& a, const Specifier& b);

 private:
  Op op_ = Op::GreaterEqual;
  Version version_;
  bool wildcard_ = false;
  std::string arbitrary_;
  std::string version_text_;  // the version as written (stripped), for str() and equality
  Version prefix_;            // ~= only: V of the "==V.*" clause that ~= implies
};

// A comma-separated conjunction of specifiers. Empty means "any version".
class SpecifierSet {
 public:
  SpecifierSet() = default;
  static SpecifierSet parse(std::string_view text);  // throws VersionError; "" is the empty set

  const std::vector<Specifier>& specifiers() const { return specs_; }
  bool empty() const { return specs_.empty(); }
  // A set, as packaging keeps a frozenset: a clause equal (operator==) to one already present is
  // dropped, the first spelling is kept.
  void add(Specifier s);
  SpecifierSet intersect(const SpecifierSet& other) const;  // union of the clauses (both must hold)

  // True if any clause names a pre-release.
  bool admits_prereleases() const;

  // PEP 440 "Handling of pre-releases": a pre-release matches only if `prereleases` is true, or it is
  // unset and some clause names a pre-release. Then every clause must match.
  bool contains(const Version& v, std::optional<bool> prereleases = std::nullopt) const;

  // packaging's SpecifierSet.filter, order kept: for a non-empty set the versions contains()
  // accepts; for the empty set the final releases, or, if there are none and `prereleases` is unset,
  // the pre-releases.
  std::vector<Version> filter(const std::vector<Version>& versions,
                              std::optional<bool> prereleases = std::nullopt) const;

  std::string str() const;  // clauses sorted by their str(), comma-joined, as packaging prints them
  // Set equality, ignoring the order of the clauses.
  friend bool operator==(const SpecifierSet& a, const SpecifierSet& b);

 private:
  std::vector<Specifier> specs_;
};

}  // namespace thoth
