// A set of versions of one package, as a bitset over the package's known candidates (index 0 = the
// newest) plus one extra bit, "not selected", at index size()-1. A PubGrub term is such a set: a
// positive term ("foo in S") never holds the extra bit, a negative one ("not foo in S") always does,
// since it is also true when foo is not selected at all. With that encoding every term operation is a
// bitwise one and exact by construction, whatever PEP 440 specifier produced the set.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace thoth::resolve {

class VersionSet {
 public:
  VersionSet() = default;
  explicit VersionSet(std::size_t bits);  // all clear
  static VersionSet full(std::size_t bits);

  VersionSet(const VersionSet& other);
  VersionSet& operator=(const VersionSet& other);
  VersionSet(VersionSet&&) noexcept = default;
  VersionSet& operator=(VersionSet&&) noexcept = default;

  std::size_t size() const { return bits_; }
  bool test(std::size_t i) const { return (words()[i >> 6] >> (i & 63)) & 1u; }
  void set(std::size_t i) { words()[i >> 6] |= std::uint64_t{1} << (i & 63); }
  void reset(std::size_t i) { words()[i >> 6] &= ~(std::uint64_t{1} << (i & 63)); }

  bool none() const;
  bool all() const;
  std::size_t count() const;
  // Index of the first set bit at or after `from`, or size() when there is none. Inline: the solver
  // walks the versions it offers the policy with it.
  std::size_t next(std::size_t from) const {
    if (from >= bits_) return bits_;
    const std::uint64_t* w = words();
    std::size_t wi = from >> 6;
    std::uint64_t cur = w[wi] & (~std::uint64_t{0} << (from & 63));
    for (std::size_t n = word_count();;) {
      if (cur) return std::min(bits_, wi * 64 + static_cast<std::size_t>(std::countr_zero(cur)));
      if (++wi == n) return bits_;
      cur = w[wi];
    }
  }

  VersionSet& operator&=(const VersionSet& other);
  VersionSet& operator|=(const VersionSet& other);
  VersionSet complement() const;
  bool subset_of(const VersionSet& other) const;
  bool disjoint(const VersionSet& other) const;
  bool intersects(const VersionSet& other) const { return !disjoint(other); }

  friend bool operator==(const VersionSet& a, const VersionSet& b);
  friend VersionSet operator&(VersionSet a, const VersionSet& b) { return a &= b; }
  friend VersionSet operator|(VersionSet a, const VersionSet& b) { return a |= b; }

 private:
  static constexpr std::size_t kInline = 2;  // 127 versions + the extra bit without allocating
  std::size_t word_count() const { return (bits_ + 63) / 64; }
  std::uint64_t* words() { return heap_ ? heap_.get() : inline_; }
  const std::uint64_t* words() const { return heap_ ? heap_.get() : inline_; }
  void clear_tail();

  std::size_t bits_ = 0;
  std::uint64_t inline_[kInline] = {0, 0};
  std::unique_ptr<std::uint64_t[]> heap_;
};

}  // namespace thoth::resolve
