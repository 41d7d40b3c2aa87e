// PEP 508 requirements: grammar, extras (PEP 685), specifiers, URLs, markers and str() as
// packaging 23.0 prints them (expected strings checked against /usr/bin/python3's packaging).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "thoth/pep508.hpp"

using namespace thoth;

namespace {

std::string roundtrip(std::string_view text) { return Requirement::parse(text).str(); }

// Parses `text` expecting a RequirementError whose message quotes the input, contains `what` and
// names `column`.
void expect_error(const std::string& text, const std::string& what, int column) {
  try {
    Requirement::parse(text);
    ADD_FAILURE() << "no error for: " << text;
  } catch (const RequirementError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("invalid requirement \""), std::string::npos) << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
    EXPECT_NE(msg.find("at column " + std::to_string(column)), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

}  // namespace

// The examples of PEP 508 "Complete Grammar" / "Examples".
TEST(Requirement, Pep508Examples) {
  EXPECT_EQ(roundtrip("A"), "A");
  EXPECT_EQ(roundtrip("A.B-C_D"), "A.B-C_D");
  EXPECT_EQ(roundtrip("aa"), "aa");
  EXPECT_EQ(roundtrip("name"), "name");
  EXPECT_EQ(roundtrip("name<=1"), "name<=1");
  EXPECT_EQ(roundtrip("name>=3"), "name>=3");
  EXPECT_EQ(roundtrip("name>=3,<2"), "name<2,>=3");
  EXPECT_EQ(roundtrip("name@http://foo.com"), "name@ http://foo.com");
  EXPECT_EQ(roundtrip("name [fred,bar] @ http://foo.com ; python_version=='2.7'"),
            "name[bar,fred]@ http://foo.com ; python_version == \"2.7\"");
  EXPECT_EQ(roundtrip("name[quux, strange];python_version<'2.7' and platform_version=='2'"),
            "name[quux,strange]; python_version < \"2.7\" and platform_version == \"2\"");
  EXPECT_EQ(roundtrip("name; os_name=='a' or os_name=='b'"), "name; os_name == \"a\" or os_name == \"b\"");
  EXPECT_EQ(roundtrip("name; os_name=='a' and os_name=='b' or os_name=='c'"),
            "name; os_name == \"a\" and os_name == \"b\" or os_name == \"c\"");
  EXPECT_EQ(roundtrip("name; os_name=='a' and (os_name=='b' or os_name=='c')"),
            "name; os_name == \"a\" and (os_name == \"b\" or os_name == \"c\")");
  EXPECT_EQ(roundtrip("name; (os_name=='a' or os_name=='b') and os_name=='c'"),
            "name; (os_name == \"a\" or os_name == \"b\") and os_name == \"c\"");
}

TEST(Requirement, HeaderExamples) {
  auto r = Requirement::parse("requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"");
  EXPECT_EQ(r.name, "requests");
  EXPECT_EQ(r.extras, (std::vector<std::string>{"security", "tests"}));
  EXPECT_EQ(r.specifier.str(), "==2.8.*,>=2.8.1");
  EXPECT_TRUE(r.url.empty());
  ASSERT_TRUE(r.marker.has_value());
  EXPECT_EQ(r.marker->str(), "python_version < \"2.7\"");
  EXPECT_EQ(r.str(), "requests[security,tests]==2.8.*,>=2.8.1; python_version < \"2.7\"");

  auto p = Requirement::parse(
      "pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686");
  EXPECT_EQ(p.name, "pip");
  EXPECT_EQ(p.url, "https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686");
  EXPECT_TRUE(p.specifier.empty());
  EXPECT_FALSE(p.marker.has_value());
  EXPECT_EQ(p.str(), "pip@ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686");
}

TEST(Requirement, NameIsKeptAsWritten) {
  auto r = Requirement::parse("Foo.Bar_baz >= 1");
  EXPECT_EQ(r.name, "Foo.Bar_baz");
  EXPECT_EQ(r.normalized_name(), "foo-bar-baz");
  // packaging's IDENTIFIER ends on a word boundary, and '_' is a word character.
  EXPECT_EQ(Requirement::parse("foo_").name, "foo_");
  EXPECT_EQ(roundtrip("  foo  "), "foo");
}

TEST(Requirement, ExtrasNormalisedSortedUnique) {
  auto r = Requirement::parse("foo[A,a,B_c]");
  EXPECT_EQ(r.extras, (std::vector<std::string>{"a", "b-c"}));
  EXPECT_TRUE(r.has_extra("A"));
  EXPECT_TRUE(r.has_extra("b.c"));
  EXPECT_FALSE(r.has_extra("c"));
  // str() keeps the written spelling, sorted, as packaging does.
  EXPECT_EQ(r.str(), "foo[A,B_c,a]");
  EXPECT_EQ(roundtrip("foo [ a , b ] ( >= 1 , < 2 ) ; os_name == 'x'"), "foo[a,b]<2,>=1; os_name == \"x\"");
  EXPECT_EQ(roundtrip("foo[] >= 1"), "foo>=1");
  EXPECT_TRUE(Requirement::parse("foo[]").extras.empty());
  EXPECT_EQ(roundtrip("foo[bar]@ http://x"), "foo[bar]@ http://x");
}

TEST(Requirement, StrFallsBackToNormalisedExtrasWhenEdited) {
  auto r = Requirement::parse("foo[Bar]");
  r.extras.push_back("zed");
  EXPECT_EQ(r.str(), "foo[bar,zed]");
}

TEST(Requirement, SpecifierForms) {
  EXPECT_EQ(roundtrip("foo (>=1.0)"), "foo>=1.0");
  EXPECT_EQ(roundtrip("foo(>=1.0,<2)"), "foo<2,>=1.0");
  EXPECT_EQ(roundtrip("foo ()"), "foo");
  EXPECT_EQ(roundtrip("foo==1.0,==1.0"), "foo==1.0");
  EXPECT_EQ(roundtrip("foo==1.0,"), "foo==1.0");
  EXPECT_EQ(roundtrip("foo>= 1.0"), "foo>=1.0");
  EXPECT_EQ(roundtrip("foo >=\n1.0"), "foo>=1.0");  // \s of the specifier rule spans a newline
  EXPECT_EQ(roundtrip("foo\t>=1"), "foo>=1");
  EXPECT_EQ(roundtrip("foo>=v1.0"), "foo>=v1.0");
  EXPECT_EQ(roundtrip("foo==1.0+L.a"), "foo==1.0+L.a");
  EXPECT_EQ(roundtrip("foo===abc"), "foo===abc");
  EXPECT_EQ(roundtrip("foo === abc"), "foo===abc");
  EXPECT_EQ(roundtrip("foo~=1.4.2"), "foo~=1.4.2");
  EXPECT_EQ(roundtrip("foo!=1.*"), "foo!=1.*");
  EXPECT_EQ(roundtrip("foo>1.0a1,<=2.0.post1"), "foo<=2.0.post1,>1.0a1");
  auto r = Requirement::parse("foo >= 1.0, < 2");
  EXPECT_TRUE(r.specifier.contains(Version::parse("1.5")));
  EXPECT_FALSE(r.specifier.contains(Version::parse("2.0")));
}

TEST(Requirement, TrailingNewlineIsAccepted) {
  // packaging's END is Python's `$`, which also matches before a final newline.
  EXPECT_EQ(roundtrip("foo\n"), "foo");
  EXPECT_EQ(roundtrip("foo >=1.0\n"), "foo>=1.0");
}

TEST(Requirement, Urls) {
  EXPECT_EQ(roundtrip("foo @ file:///tmp/x"), "foo@ file:///tmp/x");
  EXPECT_EQ(roundtrip("foo @ file://localhost/tmp/x"), "foo@ file://localhost/tmp/x");
  EXPECT_EQ(roundtrip("foo @ git+https://github.com/a/b@v1#egg=b"), "foo@ git+https://github.com/a/b@v1#egg=b");
  EXPECT_EQ(roundtrip("foo @ http://[::1]:80/x"), "foo@ http://[::1]:80/x");
  EXPECT_EQ(roundtrip("foo @ x://y"), "foo@ x://y");
  EXPECT_EQ(roundtrip("foo@ http://x ; python_version > '3'"), "foo@ http://x ; python_version > \"3\"");
  // Without whitespace the ';' and what follows belong to the URL.
  auto r = Requirement::parse("foo @ http://x;os_name=='a'");
  EXPECT_EQ(r.url, "http://x;os_name=='a'");
  EXPECT_FALSE(r.marker.has_value());
}

TEST(Requirement, MarkersAndExtraNormalisation) {
  // packaging normalises the value compared with `extra` only in the first comparison.
  EXPECT_EQ(roundtrip("foo; extra == 'Foo_Bar'"), "foo; extra == \"foo-bar\"");
  EXPECT_EQ(roundtrip("foo @ http://x ; extra == 'A_B'"), "foo@ http://x ; extra == \"a-b\"");
  EXPECT_EQ(roundtrip("foo; python_version > '3' and extra == 'Foo_Bar'"),
            "foo; python_version > \"3\" and extra == \"Foo_Bar\"");
  EXPECT_EQ(roundtrip("foo;os_name=='a'"), "foo; os_name == \"a\"");
  EXPECT_EQ(roundtrip("foo>=1.0 ;python_version>'3'"), "foo>=1.0; python_version > \"3\"");
  EXPECT_EQ(roundtrip("foo; (os_name=='a')"), "foo; os_name == \"a\"");
  EXPECT_EQ(roundtrip("foo; os.name == 'posix' and python_implementation == 'CPython'"),
            "foo; os_name == \"posix\" and platform_python_implementation == \"CPython\"");
  auto r = Requirement::parse("foo; extra == 'Test'");
  ASSERT_TRUE(r.marker.has_value());
  EXPECT_TRUE(r.marker->mentions_extra());
  MarkerEnv env;
  EXPECT_TRUE(r.marker->evaluate(env, "TEST"));
  EXPECT_FALSE(r.marker->evaluate(env, ""));
}

TEST(Requirement, StrRoundTripsAreStable) {
  for (const char* text : {"requests[security,tests]==2.8.*,>=2.8.1; python_version < \"2.7\"", "foo[A,B_c,a]",
                           "name[bar,fred]@ http://foo.com ; python_version == \"2.7\"", "foo<2,>=1.0",
                           "foo; os_name == \"a\" and (os_name == \"b\" or os_name == \"c\")"}) {
    EXPECT_EQ(roundtrip(text), text);
    EXPECT_EQ(Requirement::parse(text), Requirement::parse(roundtrip(text)));
  }
}

TEST(Requirement, Equality) {
  EXPECT_EQ(Requirement::parse("foo >= 1.0 ; os_name=='a'"), Requirement::parse("foo>=1.0;os_name==\"a\""));
  EXPECT_NE(Requirement::parse("foo>=1.0"), Requirement::parse("foo>=1.1"));
  EXPECT_NE(Requirement::parse("foo"), Requirement::parse("Foo"));  // as packaging: names as written
}

TEST(RequirementErrors, NameAndExtras) {
  expect_error("", "expected a package name", 1);
  expect_error("  ", "expected a package name", 3);
  expect_error("-foo", "expected a package name", 1);
  expect_error("foo-", "expected the end or ';'", 4);
  expect_error("foo[a b]", "expected ',' between extra names", 7);
  expect_error("foo[a,]", "expected an extra name after ','", 7);
  expect_error("foo[a", "expected ']' (the '[' is at column 4)", 6);
}

TEST(RequirementErrors, Specifiers) {
  expect_error("foo >= ", "expected a version after \">=\"", 8);
  expect_error("foo >= 1.0 garbage", "expected the end or ';' (after the version specifier)", 12);
  expect_error("foo (>=1.0", "expected ')' (the '(' is at column 5)", 11);
  expect_error("foo>=1.0<2", "expected ',' between version specifiers", 9);
  expect_error("foo>=1.0.*", "expected the end or ';'", 9);
  expect_error("foo~=1", "expected a version with at least two components after \"~=\"", 6);
  expect_error("foo >= 1.0,,<2", "expected the end or ';'", 12);
  expect_error("foo===a,b", "invalid version specifier \"b\"", 4);
}

TEST(RequirementErrors, UrlsAndMarkers) {
  expect_error("foo @", "expected a URL after '@'", 6);
  expect_error("foo @ http://x; os_name=='a'", "a ';' after a URL needs whitespace before it", 15);
  expect_error("foo ; ", "expected a marker variable or a quoted string", 7);
  expect_error("foo (>=1.0);os_name", "expected a marker operator", 20);
  expect_error("foo ; os_name not 'x'", "expected 'in' after 'not'", 19);
  expect_error("foo ; os_name notin 'x'", "expected a marker operator", 15);
  expect_error("foo ; (os_name == 'x'", "expected ')' (the '(' is at column 7)", 22);
  expect_error("foo ==1.0 ; os_name=='a' extra", "expected the end of the requirement", 26);
  expect_error("foo ; os_name == 'a\\'", "bad string literal: unterminated string literal", 20);
  expect_error("foo ; os_name == 'a\\' and 'b'", "bad string literal", 20);
}

// packaging 23.2 and later do not validate the URL (#120): a URL without a host is a requirement, and
// what it names is the installer's question.
TEST(Requirement, UrlsAreNotValidated) {
  for (const char* url : {"file:.", "file:./pkg-1.0-py3-none-any.whl", "file:/tmp/x", "http:/x", "/tmp/x",
                          "FILE:///tmp/x", "http://[::1/x", "file:///tmp/x?"}) {
    SCOPED_TRACE(url);
    Requirement r = Requirement::parse(std::string("foo @ ") + url);
    EXPECT_EQ(r.url, url);
    EXPECT_EQ(r.str(), std::string("foo@ ") + url);  // packaging's str(), spacing included
  }
  Requirement r = Requirement::parse("foo @ file:. ; os_name == 'posix'");
  EXPECT_EQ(r.str(), "foo@ file:. ; os_name == \"posix\"");
}

TEST(RequirementErrors, MessageIsOneLineWithEscapedInput) {
  try {
    Requirement::parse("foo >=\n");
    FAIL();
  } catch (const RequirementError& e) {
    EXPECT_STREQ(e.what(), "invalid requirement \"foo >=\\n\": expected a version after \">=\" at column 8");
  }
}
