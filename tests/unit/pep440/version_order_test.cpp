// Version ordering: PEP 440 "Summary of permitted suffixes and relative ordering", local version
// ordering, epochs, trailing zeros, and hashing consistent with equality.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "thoth/pep440.hpp"

namespace thoth {
namespace {

// Ascending order; the spellings inside one group are equal versions.
const std::vector<std::vector<std::string>> kSorted = {
    {"0.dev0"},
    {"0a0"},
    {"0", "0.0", "0.0.0", "v0"},
    {"0+local"},
    {"0.post0"},
    {"0.0.1"},
    {"0.1"},
    {"0.9.99"},
    {"1.0.dev456"},  // dev of a release sorts before its pre-releases
    {"1.0.dev456+x"},
    {"1.0a1", "1.0.a1", "1.0-alpha1", "1.0A1"},
    {"1.0a1.post1.dev1"},  // dev of a post of a pre
    {"1.0a1.post1"},       // post of a pre
    {"1.0a2.dev456"},
    {"1.0a2"},
    {"1.0a2.post1.dev1"},
    {"1.0a2.post1"},
    {"1.0a12.dev456"},  // numbers compare as numbers: a2 < a12
    {"1.0a12"},
    {"1.0b1.dev456"},
    {"1.0b2"},
    {"1.0b2.post345.dev456"},
    {"1.0b2.post345", "1.0b2-345", "1.0B2.REV345"},
    {"1.0b2-346"},
    {"1.0c1.dev456"},
    {"1.0c1", "1.0rc1", "1.0pre1", "1.0preview1", "1.0.0rc1"},
    {"1.0rc2"},
    {"1.0c3"},
    {"1.0", "1.0.0", "1", "1.0.0.0"},
    {"1.0+abc", "1.0+ABC", "1.0.0+abc"},  // a local version sorts after its public version
    {"1.0+abc.5"},                        // a longer label with the same prefix sorts later
    {"1.0+abd"},
    {"1.0+0"},  // numeric segments sort after alphanumeric ones
    {"1.0+0.abc"},
    {"1.0+1", "1.0+01"},
    {"1.0+1.0"},
    {"1.0+2"},
    {"1.0+10"},
    {"1.0.post456.dev34"},
    {"1.0.post456"},
    {"1.0.post456+local"},
    {"1.0.1.dev1"},
    {"1.0.1"},
    {"1.1.dev1"},
    {"1.2+123abc"},
    {"1.2+123abc456"},
    {"1.2+abc"},
    {"1.2+abc123"},
    {"1.2+abc123def"},
    {"1.2+1234.abc"},
    {"1.2+123456"},
    {"1.2.r32+123456"},
    {"1.2.rev33+123456"},
    {"1.10"},
    {"2.0"},
    {"18446744073709551615"},
    {"1!0.dev0"},  // any epoch 1 version sorts after every epoch 0 version
    {"1!1.0.dev456"},
    {"1!1.0a1"},
    {"1!1.0", "1!1"},
    {"1!1.0.post1"},
    {"1!2.0"},
    {"2!0.1"},
};

TEST(VersionOrder, SortedListPairwise) {
  std::vector<std::pair<std::size_t, Version>> all;
  for (std::size_t g = 0; g < kSorted.size(); ++g) {
    for (const std::string& text : kSorted[g]) all.emplace_back(g, Version::parse(text));
  }
  for (const auto& [ga, a] : all) {
    for (const auto& [gb, b] : all) {
      SCOPED_TRACE(a.str() + " vs " + b.str());
      EXPECT_EQ(a < b, ga < gb);
      EXPECT_EQ(a > b, ga > gb);
      EXPECT_EQ(a == b, ga == gb);
      EXPECT_EQ(a != b, ga != gb);
      EXPECT_EQ(a <= b, ga <= gb);
      EXPECT_EQ(a >= b, ga >= gb);
      if (ga == gb) {
        EXPECT_EQ(a.hash(), b.hash());
      }
    }
  }
}

TEST(VersionOrder, SortingShuffledListRestoresOrder) {
  std::vector<Version> versions;
  for (std::size_t g = 0; g < kSorted.size(); ++g) {
    versions.push_back(Version::parse(kSorted[g][0]));
  }
  std::vector<Version> shuffled = versions;
  std::mt19937 rng(440);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  std::sort(shuffled.begin(), shuffled.end());
  for (std::size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(shuffled[i].str(), versions[i].str());
}

TEST(VersionOrder, TrailingZerosAreInsignificant) {
  EXPECT_EQ(Version::parse("1.0"), Version::parse("1.0.0.0"));
  EXPECT_EQ(Version::parse("1.0a1"), Version::parse("1.0.0a1"));
  EXPECT_LT(Version::parse("1.0"), Version::parse("1.0.0.1"));
  EXPECT_LT(Version::parse("1.0.0.1"), Version::parse("1.1"));
  EXPECT_EQ(Version::parse("1.0+a"), Version::parse("1.0.0+a"));
  // ...but zeros inside the release count.
  EXPECT_LT(Version::parse("1.0.1"), Version::parse("1.1.0"));
  EXPECT_NE(Version::parse("1.0.1"), Version::parse("1.1"));
}

TEST(VersionOrder, LocalLabelsCompareCaseInsensitivelyAndNumerically) {
  EXPECT_EQ(Version::parse("1.0+UBUNTU.1"), Version::parse("1.0+ubuntu-1"));
  EXPECT_EQ(Version::parse("1.0+ubuntu_01"), Version::parse("1.0+ubuntu.1"));
  EXPECT_LT(Version::parse("1.0+9"), Version::parse("1.0+10"));
  EXPECT_LT(Version::parse("1.0+z"), Version::parse("1.0+1"));
  EXPECT_LT(Version::parse("1.0+a"), Version::parse("1.0+a.a"));
  EXPECT_LT(Version::parse("1.0+a.z"), Version::parse("1.0+a.1"));
  // Strings compare as strings: "b10" < "b9".
  EXPECT_LT(Version::parse("1.0+b10"), Version::parse("1.0+b9"));
}

TEST(VersionOrder, HashAgreesWithEquality) {
  std::unordered_set<Version, VersionHash> set;
  for (const char* text : {"1.0", "1.0.0", "1", "v1.0.0.0", "1.0+a", "1.0.0+A", "1.0a1", "1.0.0alpha1", "1.0+01",
                           "1.0+1"}) {
    set.insert(Version::parse(text));
  }
  // {1.0}, {1.0+a}, {1.0a1}, {1.0+1}
  EXPECT_EQ(set.size(), 4u);
  EXPECT_TRUE(set.contains(Version::parse("1.0.0.0.0")));
  EXPECT_FALSE(set.contains(Version::parse("1.0.post0")));
  // Different versions usually hash differently (not required, but a constant hash would pass the
  // equality checks above and ruin hash maps).
  EXPECT_NE(Version::parse("1.0").hash(), Version::parse("1.1").hash());
  EXPECT_NE(Version::parse("1.0").hash(), Version::parse("1.0.post0").hash());
  EXPECT_NE(Version::parse("1.0.dev0").hash(), Version::parse("1.0a0").hash());
  EXPECT_NE(Version::parse("1.0+a").hash(), Version::parse("1.0+b").hash());
}

TEST(VersionOrder, ThreeWayComparison) {
  EXPECT_EQ(Version::parse("1.0") <=> Version::parse("1.0.0"), std::strong_ordering::equal);
  EXPECT_EQ(Version::parse("1.0.dev0") <=> Version::parse("1.0a0"), std::strong_ordering::less);
  EXPECT_EQ(Version::parse("1.0.post0") <=> Version::parse("1.0"), std::strong_ordering::greater);
  EXPECT_EQ(Version::parse("2!0") <=> Version::parse("1!99"), std::strong_ordering::greater);
}

}  // namespace
}  // namespace thoth
