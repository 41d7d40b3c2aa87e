#include "resolve/version_set.hpp"

#include <algorithm>
#include <bit>

namespace thoth::resolve {

VersionSet::VersionSet(std::size_t bits) : bits_(bits) {
  if (word_count() > kInline) heap_ = std::make_unique<std::uint64_t[]>(word_count());  // zeroed
}

VersionSet VersionSet::full(std::size_t bits) {
  VersionSet s(bits);
  std::fill_n(s.words(), s.word_count(), ~std::uint64_t{0});
  s.clear_tail();
  return s;
}

VersionSet::VersionSet(const VersionSet& other) : bits_(other.bits_) {
  if (other.heap_) {
    heap_ = std::make_unique<std::uint64_t[]>(word_count());
    std::copy_n(other.heap_.get(), word_count(), heap_.get());
  } else {
    std::copy_n(other.inline_, kInline, inline_);
  }
}

VersionSet& VersionSet::operator=(const VersionSet& other) {
  if (this == &other) return *this;
  if (other.heap_) {
    if (!heap_ || word_count() != other.word_count()) {
      heap_ = std::make_unique<std::uint64_t[]>(other.word_count());
    }
    bits_ = other.bits_;
    std::copy_n(other.heap_.get(), word_count(), heap_.get());
  } else {
    heap_.reset();
    bits_ = other.bits_;
    std::copy_n(other.inline_, kInline, inline_);
  }
  return *this;
}

void VersionSet::clear_tail() {
  if (bits_ % 64 != 0) words()[word_count() - 1] &= (std::uint64_t{1} << (bits_ % 64)) - 1;
}

bool VersionSet::none() const {
  const std::uint64_t* w = words();
  for (std::size_t i = 0, n = word_count(); i < n; ++i) {
    if (w[i]) return false;
  }
  return true;
}

bool VersionSet::all() const { return count() == bits_; }

std::size_t VersionSet::count() const {
  std::size_t c = 0;
  const std::uint64_t* w = words();
  for (std::size_t i = 0, n = word_count(); i < n; ++i) c += static_cast<std::size_t>(std::popcount(w[i]));
  return c;
}

VersionSet& VersionSet::operator&=(const VersionSet& other) {
  std::uint64_t* w = words();
  const std::uint64_t* o = other.words();
  for (std::size_t i = 0, n = word_count(); i < n; ++i) w[i] &= o[i];
  return *this;
}

VersionSet& VersionSet::operator|=(const VersionSet& other) {
  std::uint64_t* w = words();
  const std::uint64_t* o = other.words();
  for (std::size_t i = 0, n = word_count(); i < n; ++i) w[i] |= o[i];
  return *this;
}

VersionSet VersionSet::complement() const {
  VersionSet s(*this);
  std::uint64_t* w = s.words();
  for (std::size_t i = 0, n = word_count(); i < n; ++i) w[i] = ~w[i];
  s.clear_tail();
  return s;
}

bool VersionSet::subset_of(const VersionSet& other) const {
  const std::uint64_t* w = words();
  const std::uint64_t* o = other.words();
  for (std::size_t i = 0, n = word_count(); i < n; ++i) {
    if (w[i] & ~o[i]) return false;
  }
  return true;
}

bool VersionSet::disjoint(const VersionSet& other) const {
  const std::uint64_t* w = words();
  const std::uint64_t* o = other.words();
  for (std::size_t i = 0, n = word_count(); i < n; ++i) {
    if (w[i] & o[i]) return false;
  }
  return true;
}

bool operator==(const VersionSet& a, const VersionSet& b) {
  if (a.bits_ != b.bits_) return false;
  return std::equal(a.words(), a.words() + a.word_count(), b.words());
}

}  // namespace thoth::resolve
