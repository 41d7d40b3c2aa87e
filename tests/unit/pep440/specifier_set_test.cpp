// SpecifierSet: parsing, printing, set semantics, and PEP 440 "Handling of pre-releases" in
// contains() and filter() as packaging 23.0 implements them.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/pep440.hpp"

namespace thoth {
namespace {

constexpr std::optional<bool> kUnset = std::nullopt;

TEST(SpecifierSetParse, StrSortsClausesAndDropsDuplicates) {
  struct Case {
    std::string_view text;
    std::string_view str;
    std::size_t size;
  };
  const Case kCases[] = {
      {">=1.0.0,!=1.0.1", "!=1.0.1,>=1.0.0", 2},
      {"", "", 0},
      {" , ,", "", 0},
      {",,,", "", 0},
      {">=1.0,>=1.0.0", ">=1.0", 1},  // equal clauses: the first spelling stays
      {" < 2 , >= v1.0 ", "<2,>=v1.0", 2},
      {"==1.0,===1.0,===1.0.0,== 1.0.0", "==1.0,===1.0", 2},
      {"~=1.0,~=1.0.0", "~=1.0,~=1.0.0", 2},  // ~= keeps trailing zeros significant
      {"!=2.0.*,!=2.0.0.*", "!=2.0.*,!=2.0.0.*", 2},
      {">=1.0,,<2", "<2,>=1.0", 2},
      {"\xc2\xa0>=1\xe2\x80\x89,\xe3\x80\x80<2", "<2,>=1", 2},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.text));
    SpecifierSet set = SpecifierSet::parse(c.text);
    EXPECT_EQ(set.str(), c.str);
    EXPECT_EQ(set.specifiers().size(), c.size);
    EXPECT_EQ(set.empty(), c.size == 0);
  }
}

TEST(SpecifierSetParse, InvalidClauseNamesClauseAndSet) {
  EXPECT_THROW(SpecifierSet::parse(">=1.0,<"), VersionError);
  EXPECT_THROW(SpecifierSet::parse(">=1.0;<2"), VersionError);
  EXPECT_THROW(SpecifierSet::parse(">=1.0 <2"), VersionError);
  EXPECT_THROW(SpecifierSet::parse("1.0"), VersionError);
  try {
    SpecifierSet::parse(">=1.0, =<2");
    FAIL();
  } catch (const VersionError& e) {
    EXPECT_STREQ(e.what(),
                 "invalid specifier \"=<2\": unexpected \"=\" at position 0 (expected an operator: ~= == != <= "
                 ">= < > ===) in \">=1.0, =<2\"");
  }
  try {
    SpecifierSet::parse("~=1");
    FAIL();
  } catch (const VersionError& e) {
    EXPECT_STREQ(e.what(),
                 "invalid specifier \"~=1\": ~= needs a release of at least two numbers (like ~=2.2) at position 3");
  }
}

TEST(SpecifierSetOps, EqualityIgnoresOrderAndSpelling) {
  EXPECT_EQ(SpecifierSet::parse(">=1.0,<2"), SpecifierSet::parse("<2.0, >=1"));
  EXPECT_NE(SpecifierSet::parse(">=1.0"), SpecifierSet::parse(">=1.0,<2"));
  EXPECT_EQ(SpecifierSet::parse(""), SpecifierSet::parse(" "));
  EXPECT_EQ(SpecifierSet::parse(""), SpecifierSet());
  EXPECT_NE(SpecifierSet::parse(">=1.0,!=1.0.1"), SpecifierSet::parse(">=1.0,!=1.0.2"));
}

TEST(SpecifierSetOps, IntersectIsTheUnionOfClauses) {
  SpecifierSet a = SpecifierSet::parse(">=1.0.0,!=1.0.1");
  EXPECT_EQ(a.intersect(SpecifierSet::parse("<=2.0.0,!=2.0.1")).str(), "!=1.0.1,!=2.0.1,<=2.0.0,>=1.0.0");
  EXPECT_EQ(SpecifierSet::parse(">=1.0,<2").intersect(SpecifierSet::parse(">=1.0.0,!=1.5")).str(), "!=1.5,<2,>=1.0");
  EXPECT_EQ(a.intersect(SpecifierSet()).str(), a.str());
  EXPECT_EQ(SpecifierSet().intersect(a), a);

  SpecifierSet b;
  b.add(Specifier::parse(">=1"));
  b.add(Specifier::parse(">=1.0"));
  b.add(Specifier::parse("<3"));
  EXPECT_EQ(b.specifiers().size(), 2u);
  EXPECT_EQ(b.str(), "<3,>=1");
}

TEST(SpecifierSetPrereleases, Admits) {
  EXPECT_FALSE(SpecifierSet().admits_prereleases());
  EXPECT_FALSE(SpecifierSet::parse(">=1.0,<2").admits_prereleases());
  EXPECT_TRUE(SpecifierSet::parse(">=1.0,<2.0rc1,<=2.0b1").admits_prereleases());
  EXPECT_TRUE(SpecifierSet::parse(">=1.0,<2.0rc1").admits_prereleases());  // packaging 24.2, #794
  EXPECT_FALSE(SpecifierSet::parse(">=1.0,<2.0,!=1.5rc1").admits_prereleases());
  EXPECT_TRUE(SpecifierSet::parse("==1.0.dev1").admits_prereleases());
}

struct ContainsCase {
  std::string_view set;
  std::string_view version;
  std::optional<bool> prereleases;
  bool contained;
};

TEST(SpecifierSetContains, PrereleasePolicyThenEveryClause) {
  const ContainsCase kCases[] = {
      {">=1.0.0,!=1.0.1", "1.2.3", kUnset, true},
      {">=1.0.0,!=1.0.1", "1.0.1", kUnset, false},
      {">=1.0.0,!=1.0.1", "1.3.0a1", kUnset, false},  // pre-releases excluded by default
      {">=1.0.0,!=1.0.1", "1.3.0a1", true, true},
      {"", "1.0", kUnset, true},  // the empty set matches everything...
      {"", "1.0a1", kUnset, false},  // ...but pre-releases only when asked for
      {"", "1.0a1", true, true},
      {"", "1.0.dev1", kUnset, false},
      {">=1.0a1", "1.5a1", kUnset, true},  // a clause naming a pre-release admits them all
      {">=1.0,>=1.0a1", "2.0b1", kUnset, true},
      {"!=1.0a1", "1.0b1", kUnset, false},  // != does not admit pre-releases
      {">=1.0a1", "1.0a2", false, false},
      {"<2.0", "2.0a1", true, false},
      {"<2.0", "1.9a1", true, true},
      {"<2.0", "1.9a1", kUnset, false},
      {"<2.0rc1", "2.0b1", kUnset, true},  // < naming a pre-release admits them (packaging 24.2, #794)
      {"!=2.0rc1", "2.0b1", kUnset, false},
      {"<=2.0rc1", "2.0b1", kUnset, true},
      {"~=1.0", "1.1.post1", kUnset, true},  // post-releases are not pre-releases
      {"==1.*", "1.5.dev1", kUnset, false},
      {"==1.*", "1.5.dev1", true, true},
      {">=1.0,<2.0", "1.5+local", kUnset, true},
      {">=1.0,<2.0", "2.0+local", kUnset, false},
      {"==1.0.dev1", "1.0.dev1", kUnset, true},
      {"==1.0.dev1,!=1.0", "1.0.dev1", kUnset, true},
      {">=1.0,!=1.5.*", "1.5.3", kUnset, false},
      {">=1.0,!=1.5.*", "1.6", kUnset, true},
      {"===1.0", "1.0", kUnset, true},
      {"===1.0a1", "1.0a1", kUnset, true},
      {"===1.0,===1.0.0", "1.0", kUnset, true},  // one clause: ===1.0.0 equals ===1.0
      {">=1.0.post1", "1.0.post1.dev1", true, false},
  };
  for (const ContainsCase& c : kCases) {
    SCOPED_TRACE(std::string(c.set) + " contains " + std::string(c.version));
    EXPECT_EQ(SpecifierSet::parse(c.set).contains(Version::parse(c.version), c.prereleases), c.contained);
  }
}

std::vector<std::string> filter(std::string_view set, const std::vector<std::string>& versions,
                                std::optional<bool> prereleases) {
  std::vector<Version> parsed;
  for (const std::string& v : versions) parsed.push_back(Version::parse(v));
  std::vector<std::string> out;
  for (const Version& v : SpecifierSet::parse(set).filter(parsed, prereleases)) out.push_back(v.str());
  return out;
}

using Strings = std::vector<std::string>;

TEST(SpecifierSetFilter, LikePackaging) {
  EXPECT_EQ(filter(">=1.2.3", {"1.2", "1.3", "1.5a1"}, kUnset), (Strings{"1.3"}));
  // A non-empty set never falls back to pre-releases in packaging 23.0.
  EXPECT_EQ(filter(">=1.2.3", {"1.2", "1.5a1"}, kUnset), (Strings{}));
  EXPECT_EQ(filter(">=1.2.3", {"1.3", "1.5a1"}, true), (Strings{"1.3", "1.5a1"}));
  EXPECT_EQ(filter(">=1.0a1", {"0.9", "1.0a2", "1.0", "1.1.dev1"}, kUnset), (Strings{"1.0a2", "1.0", "1.1.dev1"}));
  EXPECT_EQ(filter(">=1.0a1", {"1.0a2", "1.0"}, false), (Strings{"1.0"}));
  EXPECT_EQ(filter("==1.0.*", {"1.0", "1.0.1", "1.1", "1.0.1a1"}, kUnset), (Strings{"1.0", "1.0.1"}));
  // Order and duplicates are kept.
  EXPECT_EQ(filter(">=1.5", {"2.0", "1.0", "2.0.0"}, kUnset), (Strings{"2.0", "2.0.0"}));
  EXPECT_EQ(filter("<2", {"1.0a1", "2.0a1"}, kUnset), (Strings{}));
  EXPECT_EQ(filter("<2", {"1.0a1", "2.0a1"}, true), (Strings{"1.0a1"}));
}

TEST(SpecifierSetFilter, EmptySetFallsBackToPrereleasesOnlyWhenNothingElse) {
  EXPECT_EQ(filter("", {"1.3", "1.5a1"}, kUnset), (Strings{"1.3"}));
  EXPECT_EQ(filter("", {"1.5a1"}, kUnset), (Strings{"1.5a1"}));
  EXPECT_EQ(filter("", {"1.3", "1.5a1"}, true), (Strings{"1.3", "1.5a1"}));
  EXPECT_EQ(filter("", {"1.5a1"}, false), (Strings{}));
  EXPECT_EQ(filter("", {}, kUnset), (Strings{}));
  EXPECT_EQ(filter("", {"1.0a1", "2.0b1"}, kUnset), (Strings{"1.0a1", "2.0b1"}));
  EXPECT_EQ(filter("", {"1.0a1", "1.0", "2.0a1"}, kUnset), (Strings{"1.0"}));
  EXPECT_EQ(filter("", {"1.1a1", "1.0"}, kUnset), (Strings{"1.0"}));
  EXPECT_EQ(filter("", {"1.0", "1.1a1"}, false), (Strings{"1.0"}));
}

}  // namespace
}  // namespace thoth
