// Version's release storage: releases of up to Version's inline capacity (4 numbers) live in the
// object, longer ones on the heap. Both paths must parse, print, compare, hash, copy and move alike.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "thoth/pep440.hpp"

namespace thoth {
namespace {

constexpr std::size_t kInline = 4;     // Version's inline capacity (see pep440.hpp)
constexpr std::size_t kLongest = 12;   // well past it, so the heap buffer grows more than once

// The release 1.12.23... of `n` distinct numbers, as numbers and as text.
std::vector<std::uint64_t> numbers(std::size_t n) {
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(1 + 11 * i);
  return out;
}

std::string text_of(const std::vector<std::uint64_t>& release) {
  std::string out;
  for (std::size_t i = 0; i < release.size(); ++i) out += (i ? "." : "") + std::to_string(release[i]);
  return out;
}

std::vector<std::uint64_t> release_of(const Version& v) { return {v.release().begin(), v.release().end()}; }

// Checks that `v` is the version with release `expected` and nothing else.
void expect_release(const Version& v, const std::vector<std::uint64_t>& expected) {
  EXPECT_EQ(release_of(v), expected);
  EXPECT_EQ(v.str(), text_of(expected));
  EXPECT_EQ(v, Version::parse(text_of(expected)));
  EXPECT_EQ(v.hash(), Version::parse(text_of(expected)).hash());
}

TEST(VersionRelease, SizeStaysSmall) { EXPECT_LE(sizeof(Version), 160u); }

TEST(VersionRelease, EveryLengthParsesAndPrints) {
  for (std::size_t n = 1; n <= kLongest; ++n) {
    SCOPED_TRACE(n);
    std::vector<std::uint64_t> expected = numbers(n);
    Version v = Version::parse(text_of(expected));
    EXPECT_EQ(v.release().size(), n);
    expect_release(v, expected);
    // With every suffix, and through the spellings the parser normalises.
    Version full = Version::parse("v2!" + text_of(expected) + "-RC3_post4.dev5+Loc.6");
    EXPECT_EQ(release_of(full), expected);
    EXPECT_EQ(full.str(), "2!" + text_of(expected) + "rc3.post4.dev5+loc.6");
    EXPECT_EQ(release_of(full.public_version()), expected);
    EXPECT_EQ(full.public_version().str(), "2!" + text_of(expected) + "rc3.post4.dev5");
    EXPECT_EQ(full.base_version().str(), "2!" + text_of(expected));
  }
}

TEST(VersionRelease, VeryLongReleaseParses) {
  std::vector<std::uint64_t> expected(1000);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = i;
  Version v = Version::parse(text_of(expected));
  expect_release(v, expected);
}

TEST(VersionRelease, TrailingZerosAreInsignificantAcrossTheInlineLimit) {
  // Each group: equal versions (and equal hashes) whose releases are inline, overflowing, or both.
  const std::vector<std::vector<std::string>> groups = {
      {"1", "1.0", "1.0.0", "1.0.0.0", "1.0.0.0.0", "1.0.0.0.0.0.0.0.0"},
      {"1.2.3.4", "1.2.3.4.0", "1.2.3.4.0.0.0.0.0"},
      {"1.2.3.4.5", "1.2.3.4.5.0", "1.2.3.4.5.0.0.0.0.0"},
      {"0", "0.0.0.0.0.0"},
  };
  for (const auto& group : groups) {
    for (const std::string& a : group) {
      for (const std::string& b : group) {
        SCOPED_TRACE(a + " vs " + b);
        Version va = Version::parse(a);
        Version vb = Version::parse(b);
        EXPECT_EQ(va, vb);
        EXPECT_EQ(va <=> vb, std::strong_ordering::equal);
        EXPECT_EQ(va.hash(), vb.hash());
        EXPECT_EQ(va.str(), a);  // printing keeps the zeros
      }
    }
  }
}

TEST(VersionRelease, OrderAcrossTheInlineLimit) {
  // Ascending, each strictly less than the next.
  const std::vector<std::string> sorted = {
      "1.2.3.3.99.99",  "1.2.3.4.dev1", "1.2.3.4a1",   "1.2.3.4",       "1.2.3.4.0.0.0.1.dev0",
      "1.2.3.4.0.0.0.1", "1.2.3.4.0.1", "1.2.3.4.1",   "1.2.3.4.1.post1", "1.2.3.4.1.0.0.0.0.1",
      "1.2.3.5",        "1.2.3.5.0.0+local", "1.2.4", "2",             "1!0.0.0.0.0.1",
  };
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    for (std::size_t j = 0; j < sorted.size(); ++j) {
      SCOPED_TRACE(sorted[i] + " vs " + sorted[j]);
      Version a = Version::parse(sorted[i]);
      Version b = Version::parse(sorted[j]);
      EXPECT_EQ(a <=> b, i <=> j);
      EXPECT_EQ(a == b, i == j);
    }
  }
}

TEST(VersionRelease, SpecifiersSeeLongReleases) {
  EXPECT_TRUE(SpecifierSet::parse("==1.2.3.4.5.*").contains(Version::parse("1.2.3.4.5.6")));
  EXPECT_FALSE(SpecifierSet::parse("==1.2.3.4.5.*").contains(Version::parse("1.2.3.4.6")));
  EXPECT_TRUE(SpecifierSet::parse("==1.2.3.4.5").contains(Version::parse("1.2.3.4.5.0.0")));
  EXPECT_TRUE(SpecifierSet::parse("~=1.2.3.4.5").contains(Version::parse("1.2.3.4.9")));
  EXPECT_FALSE(SpecifierSet::parse("~=1.2.3.4.5").contains(Version::parse("1.2.3.5")));
  EXPECT_TRUE(SpecifierSet::parse(">1.2.3.4,<1.2.3.4.0.1").contains(Version::parse("1.2.3.4.0.0.1")));
}

TEST(VersionRelease, CopyAndMoveEveryLength) {
  for (std::size_t n = 1; n <= kLongest; ++n) {
    SCOPED_TRACE(n);
    const std::vector<std::uint64_t> expected = numbers(n);
    const Version original = Version::parse(text_of(expected) + "rc1+x");

    Version copied(original);
    EXPECT_EQ(release_of(copied), expected);
    EXPECT_EQ(copied.str(), original.str());
    EXPECT_EQ(copied.hash(), original.hash());
    // The copy owns its numbers: it outlives the original's storage.
    {
      Version temporary = Version::parse(text_of(expected));
      Version survivor(temporary);
      temporary = Version::parse("9");
      EXPECT_EQ(release_of(survivor), expected);
    }

    Version moved(std::move(copied));
    EXPECT_EQ(release_of(moved), expected);
    EXPECT_EQ(moved.str(), original.str());
    // A moved-from version can be assigned to and used again.
    copied = original;
    EXPECT_EQ(copied, original);
    EXPECT_EQ(copied.str(), original.str());

    Version move_assigned = Version::parse("7");
    move_assigned = std::move(moved);
    EXPECT_EQ(release_of(move_assigned), expected);
    EXPECT_EQ(move_assigned.str(), original.str());
    moved = Version::parse("3.4");
    EXPECT_EQ(moved.str(), "3.4");

    // Copy-assign into destinations of every length (inline and heap, with smaller and larger buffers).
    for (std::size_t m = 1; m <= kLongest; ++m) {
      SCOPED_TRACE(m);
      Version target = Version::parse(text_of(numbers(m)) + ".99");
      target = original;
      EXPECT_EQ(release_of(target), expected);
      EXPECT_EQ(target.str(), original.str());
      EXPECT_EQ(target.hash(), original.hash());
      // And back again: the buffer it may have kept must not leak into a shorter release.
      target = Version::parse(text_of(numbers(m)));
      EXPECT_EQ(release_of(target), numbers(m));
      EXPECT_EQ(target.str(), text_of(numbers(m)));

      Version move_target = Version::parse(text_of(numbers(m)) + ".99");
      Version source(original);
      move_target = std::move(source);
      EXPECT_EQ(release_of(move_target), expected);
      EXPECT_EQ(move_target.str(), original.str());
    }
  }
}

TEST(VersionRelease, SelfAssignment) {
  for (std::size_t n : {std::size_t{1}, kInline, kInline + 1, kLongest}) {
    SCOPED_TRACE(n);
    const std::vector<std::uint64_t> expected = numbers(n);
    Version v = Version::parse(text_of(expected));
    Version& alias = v;  // through a reference, so the compiler does not flag the self-assignment
    v = alias;
    expect_release(v, expected);
    // Self-move leaves a valid version (its value unspecified) that can be assigned again.
    v = std::move(alias);
    v = Version::parse(text_of(expected));
    expect_release(v, expected);
  }
}

TEST(VersionRelease, ContainersOfMixedLengths) {
  // Vectors relocate with moves, sorting swaps and copies: every length must survive it.
  std::vector<Version> versions;
  for (std::size_t n = kLongest; n >= 1; --n) versions.push_back(Version::parse(text_of(numbers(n))));
  std::vector<Version> copy = versions;
  std::sort(copy.begin(), copy.end());
  for (std::size_t i = 0; i < copy.size(); ++i) EXPECT_EQ(release_of(copy[i]), numbers(i + 1));
  std::sort(copy.begin(), copy.end(), std::greater<>());
  EXPECT_TRUE(std::ranges::equal(copy, versions));
}

TEST(VersionRelease, DefaultIsZeroAndCopiesAsZero) {
  Version v;
  Version copy(v);
  Version assigned = Version::parse("1.2.3.4.5.6");
  assigned = v;
  for (const Version* x : {&v, &copy, &assigned}) {
    EXPECT_EQ(release_of(*x), std::vector<std::uint64_t>{0});
    EXPECT_EQ(x->str(), "0");
    EXPECT_EQ(*x, Version::parse("0.0.0.0.0.0"));
  }
}

}  // namespace
}  // namespace thoth
