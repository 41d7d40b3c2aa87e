// Specifier: which spellings are valid clauses, str(), equality, the pre-release default and the
// matching rules of every operator of PEP 440 "Version specifiers" as packaging 23.0 applies them.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "thoth/pep440.hpp"

namespace thoth {
namespace {

using Op = Specifier::Op;

TEST(SpecifierParse, ValidSpellings) {
  struct Case {
    std::string_view text;
    Op op;
    std::string_view str;
  };
  const Case kCases[] = {
      {"~=2.0", Op::Compatible, "~=2.0"},
      {"==2.1.*", Op::Equal, "==2.1.*"},
      {"==2.1.0.3", Op::Equal, "==2.1.0.3"},
      {"!=2.2.*", Op::NotEqual, "!=2.2.*"},
      {"!=2.2.0.5", Op::NotEqual, "!=2.2.0.5"},
      {"<=5", Op::LessEqual, "<=5"},
      {">=7.9a1", Op::GreaterEqual, ">=7.9a1"},
      {"<1.0.dev1", Op::Less, "<1.0.dev1"},
      {">2.0.post1", Op::Greater, ">2.0.post1"},
      {"===lolwat", Op::Arbitrary, "===lolwat"},
      {"==1.0+abc", Op::Equal, "==1.0+abc"},
      {"==1.0+abc.5-x_Y", Op::Equal, "==1.0+abc.5-x_Y"},
      // Whitespace around the operator and the version; str() is operator + version as written.
      {"== 1.0", Op::Equal, "==1.0"},
      {" >= 1.0 ", Op::GreaterEqual, ">=1.0"},
      {"\t<\t1.0\n", Op::Less, "<1.0"},
      {"===  foo ", Op::Arbitrary, "===foo"},
      {"==1!2.0.*", Op::Equal, "==1!2.0.*"},
      {">=v1.0", Op::GreaterEqual, ">=v1.0"},
      {"<=1.0.POST1", Op::LessEqual, "<=1.0.POST1"},
      {"~=1.0-1", Op::Compatible, "~=1.0-1"},
      {"~=1!1.0a1.post2.dev3", Op::Compatible, "~=1!1.0a1.post2.dev3"},
      {"!=1.0.0a1.dev1+local", Op::NotEqual, "!=1.0.0a1.dev1+local"},
      {"== v1.0.*", Op::Equal, "==v1.0.*"},
      {"===", Op::Arbitrary, "==="},  // packaging's regex allows an empty arbitrary string
      {"===1.0+foo(", Op::Arbitrary, "===1.0+foo("},
      {"\xc2\xa0>=1.0\xe3\x80\x80", Op::GreaterEqual, ">=1.0"},  // Unicode whitespace, as Python's \s
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.text));
    Specifier s = Specifier::parse(c.text);
    EXPECT_EQ(s.op(), c.op);
    EXPECT_EQ(s.str(), c.str);
  }
}

TEST(SpecifierParse, InvalidSpellings) {
  const std::string_view kCases[] = {
      "",
      "==",
      "lolwat",
      "1.0",
      "=1.0",
      "=>1.0",
      "<>1.0",
      "== =1.0",
      "==1.0.*.5",
      "==1.*.5",
      "==1.0a1.*",
      "==1.0.post1.*",
      "==1.0.dev1.*",
      "==1.0+local.*",
      "!=1.0.dev1.*",
      "~=1",        // ~= needs two release numbers
      "~=1.*",
      "~=1.0.*",    // no wildcard
      "~=1.0+local",  // no local label
      "~=1!1",
      "~= 1",
      ">=1.0.*",
      "<=1.0.*",
      "<1.0.*",
      ">1.0.*",
      ">=1.0+local",
      "<=1.0+local",
      "<1.0+local",
      ">1.0+local",
      "===foo bar",
      "===foo;",
      "===foo)",
      "== 1.0 1",
      ">= 1.0;",
      ">=1.0 ,",
      ">=1.0,<2.0",  // a single clause, not a set
      ">=foo",
      "==1.0.x",
      "== 1.0 ; python_version < '3'",
  };
  for (std::string_view text : kCases) {
    SCOPED_TRACE(std::string(text));
    EXPECT_THROW(Specifier::parse(text), VersionError);
  }
}

TEST(SpecifierParse, ErrorMessages) {
  auto message = [](std::string_view text) {
    try {
      Specifier::parse(text);
    } catch (const VersionError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message(">=1.0.*"),
            "invalid specifier \">=1.0.*\": unexpected \"*\" at position 6 (a \".*\" suffix is only allowed "
            "with == and !=)");
  EXPECT_EQ(message("<=1.0+local"),
            "invalid specifier \"<=1.0+local\": unexpected \"+\" at position 5 (a local version label is only "
            "allowed with == and !=)");
  EXPECT_EQ(message("~=1"),
            "invalid specifier \"~=1\": ~= needs a release of at least two numbers (like ~=2.2) at position 3");
  EXPECT_EQ(message("lolwat"),
            "invalid specifier \"lolwat\": unexpected \"l\" at position 0 (expected an operator: ~= == != <= >= "
            "< > ===)");
  EXPECT_EQ(message("==1.0a1.*"), "invalid specifier \"==1.0a1.*\": unexpected \"*\" at position 8");
}

TEST(SpecifierParse, Accessors) {
  Specifier eq = Specifier::parse("== 1.0.*");
  EXPECT_EQ(eq.op(), Op::Equal);
  EXPECT_TRUE(eq.wildcard());
  EXPECT_EQ(eq.version(), Version::parse("1.0"));

  Specifier ge = Specifier::parse(">=v1.0RC1");
  EXPECT_FALSE(ge.wildcard());
  EXPECT_EQ(ge.version().str(), "1.0rc1");

  Specifier arb = Specifier::parse("=== Foo-1 ");
  EXPECT_EQ(arb.op(), Op::Arbitrary);
  EXPECT_EQ(arb.arbitrary(), "Foo-1");
}

TEST(SpecifierParse, Make) {
  EXPECT_EQ(Specifier::make(Op::GreaterEqual, Version::parse("1.0")).str(), ">=1.0");
  EXPECT_EQ(Specifier::make(Op::Equal, Version::parse("v1.0"), true).str(), "==1.0.*");
  EXPECT_EQ(Specifier::make(Op::NotEqual, Version::parse("1.0+Local")).str(), "!=1.0+local");
  EXPECT_EQ(Specifier::make(Op::Arbitrary, Version::parse("1.0")).str(), "===1.0");
  EXPECT_EQ(Specifier::make(Op::Compatible, Version::parse("1.4.5")), Specifier::parse("~=1.4.5"));
  EXPECT_THROW(Specifier::make(Op::Compatible, Version::parse("1")), VersionError);
  EXPECT_THROW(Specifier::make(Op::Less, Version::parse("1.0+l")), VersionError);
  EXPECT_THROW(Specifier::make(Op::GreaterEqual, Version::parse("1.0"), true), VersionError);
  EXPECT_THROW(Specifier::make(Op::Equal, Version::parse("1.0a1"), true), VersionError);
}

TEST(SpecifierEquality, CanonicalLikePackaging) {
  struct Case {
    std::string_view a, b;
    bool equal;
  };
  const Case kCases[] = {
      {"==1.2", "== 1.2.0", true},     {"~=1.2", "~=1.2.0", false},      {"==1.0.*", "==1.0.0.*", false},
      {">=1.0", "<=1.0", false},       {"===1.0", "===1.0.0", true},     {"==v1.0", "==1.0", true},
      {"==1.0+ABC", "==1.0+abc", true}, {"===foo", "===FOO", false},     {"==1.0.*", "== 1.0.*", true},
      {">=1.0a1", ">=1.0alpha1", true}, {"~=1.2.0", "~=1.2.0", true},    {"==1.0", "!=1.0", false},
      {"==1.0+1", "==1.0+1.0", false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.a) + " vs " + std::string(c.b));
    EXPECT_EQ(Specifier::parse(c.a) == Specifier::parse(c.b), c.equal);
    EXPECT_EQ(Specifier::parse(c.b) == Specifier::parse(c.a), c.equal);
  }
}

TEST(SpecifierPrereleases, AdmitsWhenAnInclusiveClauseNamesOne) {
  struct Case {
    std::string_view text;
    bool admits;
  };
  const Case kCases[] = {
      {">=1.0", false},       {">=1.0a1", true},     {">=1.0.dev1", true},       {"==1.0rc1", true},
      // < and > count since packaging 24.2 ("Fix prerelease detection for > and <", #794).
      {"==1.0.*", false},     {"~=1.0a1", true},     {"<=1.0b1", true},          {"<1.0a1", true},
      {">1.0a1", true},       {"!=1.0a1", false},    {"===1.0a1", true},         {"===1.0", false},
      {"==1.0+local", false}, {"==1.0.dev1+local", true}, {"<=1.0.post1.dev2", true}, {">=1.0.post1", false},
      // packaging raises for === text that is no version; thoth says it names no pre-release.
      {"===foo", false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.text));
    EXPECT_EQ(Specifier::parse(c.text).admits_prereleases(), c.admits);
  }
}

struct MatchCase {
  std::string_view spec;
  std::string_view version;
  bool matches;
};

// Specifier::matches is the clause test with pre-releases allowed (packaging's
// Specifier.contains(v, prereleases=True)).
const MatchCase kMatches[] = {
    // PEP 440 "Version matching": strict, trailing zeros padded, local labels ignored unless given.
    {"==2.0", "2.0", true},
    {"==2.0", "2", true},
    {"==2", "2.0.0", true},
    {"==2.0", "2.0+deadbeef", true},
    {"==2.0+deadbeef", "2.0+deadbeef", true},
    {"==2.0+deadbeef", "2.0", false},
    {"==2.0+deadbeef", "2.0+DEADBEEF", true},
    {"==2.0+deadbeef", "2.0+deadbeef.0", false},
    {"==2.0", "2.0.post1", false},
    {"==2.0", "2.0a1", false},
    {"==2.0", "2.1", false},
    {"==1!2.0", "2.0", false},
    {"==2.0.post1", "2.0.post1", true},
    {"==2.0a1", "2.0a1", true},
    {"==2.0a1", "2.0.0a1", true},
    {"==2.0+1.0", "2.0+1", false},
    {"==2.0+01", "2.0+1", true},
    // Prefix matching: every suffix and the local label are ignored; the candidate is zero-padded.
    {"==2.*", "2.0", true},
    {"==2.*", "2", true},
    {"==2.*", "2.1.3", true},
    {"==2.*", "2.0a1", true},
    {"==2.*", "2.0.dev1", true},
    {"==2.*", "2.0.post1", true},
    {"==2.*", "2.0+local", true},
    {"==2.*", "3.0", false},
    {"==2.*", "1.9", false},
    {"==2.*", "20.0", false},
    {"==2.0.*", "2", true},
    {"==2.0.*", "2.0.0.1", true},
    {"==2.0.*", "2.1", false},
    {"==2.0.0.*", "2.0", true},
    {"==2.1.*", "2.1.0a1", true},
    {"==2.1.0.*", "2.1a1", true},
    {"==2.1.1.*", "2.1a1", false},
    {"==v2.1.*", "2.1.5", true},
    {"==02.01.*", "2.1.5", true},
    {"==1!2.*", "1!2.0", true},
    {"==1!2.*", "2.0", false},
    {"==2.*", "1!2.0", false},
    {"==0!2.*", "2.0", true},
    // The epoch is an item of its own (packaging 24.0, #683; 23.0 glued it to the first number and
    // answered the opposite for the first four).
    {"==1!2.0.*", "1!2.0", true},
    {"==0.*", "1!5.0", false},
    {"==1!2.*", "1!2a1", true},
    {"==1!2.*", "1!2.0a1", true},
    {"==1!2.*", "1!2.1a1", true},
    // The candidate keeps its trailing zeros and is zero-padded to the prefix (packaging 23.1, #674).
    {"==2!0.6.2.2.0.4.0.*", "2!0.6.2.2.0.4.dev0", true},
    {"==1.0.0.*", "1.0.post1", true},
    // PEP 440 "Version exclusion".
    {"!=2.0", "2.0", false},
    {"!=2.0", "2.0+local", false},
    {"!=2.0", "2.1", true},
    {"!=2.0+local", "2.0", true},
    {"!=2.*", "2.5", false},
    {"!=2.*", "3.0", true},
    {"!=2.0.*", "2.0.1", false},
    {"!=2.0.*", "2.1", true},
    // PEP 440 "Inclusive ordered comparison": on the public version.
    {"<=2.0", "2.0", true},
    {"<=2.0", "2.0+local", true},
    {"<=2.0", "2.0.post1", false},
    {"<=2.0", "2.0a1", true},
    {"<=2.0", "1.9", true},
    {"<=2.0", "2.0.1", false},
    {"<=2.0.post1", "2.0.post1+l", true},
    {"<=1!1.0", "2.0", true},
    {">=2.0", "2.0", true},
    {">=2.0", "2.0+local", true},
    {">=2.0", "2.0a1", false},
    {">=2.0", "2.0.dev1", false},
    {">=2.0", "2.0.post1", true},
    {">=2.0", "1!0.1", true},
    {">=2.0a1", "2.0a1", true},
    {">=2.0", "1.9.9", false},
    // PEP 440 "Exclusive ordered comparison": <V excludes V's pre-releases unless V is one.
    {"<2.0", "1.9", true},
    {"<2.0", "2.0", false},
    {"<2.0", "2.0a1", false},
    {"<2.0", "2.0.dev1", false},
    {"<2.0", "2.0rc1", false},
    {"<2.0", "1.9a1", true},
    {"<2.0", "1.9.post1", true},
    {"<2.0", "2.0.0a1", false},
    {"<2.0.0", "2.0a1", false},
    {"<2.0rc1", "2.0a1", true},
    {"<2.0rc1", "2.0.dev1", true},
    {"<2.0rc1", "2.0rc1.dev1", true},
    {"<2.0", "1.9+local", true},
    {"<2.0", "2.0+local", false},
    {"<2.0.post1", "2.0", true},
    {"<2.0.post1", "2.0.post1.dev1", false},
    {"<2.0.post1", "2.0a1", false},
    {"<2.0", "2.0.post1", false},
    // >V excludes V's post-releases unless V is one, and V's local versions.
    {">2.0", "2.1", true},
    {">2.0", "2.0", false},
    {">2.0", "2.0.post1", false},
    {">2.0", "2.0+local", false},
    {">2.0", "2.0.post1+local", false},
    {">2.0", "2.0.1", true},
    {">2.0", "2.0.1.post1", true},
    {">2.0.post1", "2.0.post2", true},
    {">2.0.post1", "2.0.post1+l", false},
    {">2.0a1", "2.0a1.post1", false},
    {">2.0a1", "2.0", true},
    {">2.0a1", "2.0.post1", false},
    {">2.0", "2.0.1+local", true},
    {">1.9", "2.0.post1", true},
    {">2.0.dev1", "2.0a1", true},
    {">2.0", "1.9", false},
    {">2.0.0", "2.0.post1", false},
    // PEP 440 "Compatible release": ~=V.N is >=V.N, ==V.*.
    {"~=2.2", "2.2", true},
    {"~=2.2", "2.3", true},
    {"~=2.2", "2.10", true},
    {"~=2.2", "3.0", false},
    {"~=2.2", "2.1", false},
    {"~=2.2", "2.2.post1", true},
    {"~=2.2.0", "2.2.1", true},
    {"~=2.2.0", "2.3", false},
    {"~=2.2", "2.2+local", true},
    {"~=1.4.5a4", "1.4.5a4", true},
    {"~=1.4.5a4", "1.4.5", true},
    {"~=1.4.5a4", "1.4.6", true},
    {"~=1.4.5a4", "1.5", false},
    {"~=2.2.post3", "2.2.post3", true},
    {"~=2.2.post3", "2.3", true},
    {"~=2.2.post3", "2.2.post2", false},
    {"~=1!2.2", "1!2.5", true},
    {"~=1!2.2", "2.5", false},
    {"~=2.2", "2.2a1", false},
    {"~=2.2.0", "2.2", true},
    {"~=2.2-1", "2.9", true},
    {"~=v2.2", "2.5", true},
    {"~=2.2.dev1", "2.2a1", true},
    // packaging derives the ~= prefix from the text as written (".c1" is no suffix there, and 25.0
    // turns "~=v2.2" into "==0!v2.*", which matches nothing); thoth reads the normal form, as PEP 440
    // "Normalization" and "Compatible release" say: ~=2.2rc1 is >=2.2rc1, ==2.*.
    {"~=2.2.c1", "2.3", true},
    {"~=2.2.c1", "2.2.5", true},
    {"~=1.2c1", "1.3", true},
    {"~=1.2c1", "1.2.1", true},
    {"~=2.2.r1", "2.9", true},
    {"~=V2.2-BETA1", "2.9", true},
    {"~=V2.2-BETA1", "3.0", false},
    // PEP 440 "Arbitrary equality": str(candidate) against the text, ignoring case.
    {"===2.0", "2.0", true},
    {"===2.0", "2.0.0", false},
    {"===2.0.0", "2.0", false},
    {"===2.0", "2", false},
    {"===foobar", "2.0", false},
    {"===1.0A1", "1.0a1", true},
    {"===1.0+ABC", "1.0+abc", true},
    {"===v1.0", "1.0", false},
    {"===1.0.post1", "1.0-1", true},
    {"===1.0", "1.0+local", false},
    {"===1.0+\xe2\x84\xaa", "1.0+k", true},  // KELVIN SIGN lower-cases to 'k' in Python
};

TEST(SpecifierMatch, EveryOperator) {
  for (const MatchCase& c : kMatches) {
    SCOPED_TRACE(std::string(c.spec) + " vs " + std::string(c.version));
    EXPECT_EQ(Specifier::parse(c.spec).matches(Version::parse(c.version)), c.matches);
  }
}

TEST(SpecifierMatch, NotEqualIsTheNegationOfEqual) {
  for (const MatchCase& c : kMatches) {
    if (!c.spec.starts_with("==") || c.spec.starts_with("===")) continue;
    std::string negated = "!=" + std::string(c.spec.substr(2));
    SCOPED_TRACE(negated + " vs " + std::string(c.version));
    EXPECT_EQ(Specifier::parse(negated).matches(Version::parse(c.version)), !c.matches);
  }
}

}  // namespace
}  // namespace thoth
