// Environment markers: parsing, aliases, str() as packaging prints it (except where that would change the
// marker's meaning), and parse errors.
#include <gtest/gtest.h>

#include <string>

#include "thoth/pep508.hpp"

using namespace thoth;

namespace {

std::string fmt(std::string_view text) { return Marker::parse(text).str(); }

void expect_error(const std::string& text, const std::string& what, int column) {
  try {
    Marker::parse(text);
    ADD_FAILURE() << "no error for: " << text;
  } catch (const RequirementError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("invalid marker \""), std::string::npos) << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
    EXPECT_NE(msg.find("at column " + std::to_string(column)), std::string::npos) << msg;
  }
}

}  // namespace

TEST(MarkerStr, CanonicalSpacingAndDoubleQuotes) {
  EXPECT_EQ(fmt("python_version<'3'"), "python_version < \"3\"");
  EXPECT_EQ(fmt("python_version\t<\t'3'"), "python_version < \"3\"");
  EXPECT_EQ(fmt("  os_name == 'a'  "), "os_name == \"a\"");
  EXPECT_EQ(fmt("os_name=='a'and os_name=='b'"), "os_name == \"a\" and os_name == \"b\"");
  EXPECT_EQ(fmt("python_version not  in 'x'"), "python_version not in \"x\"");
  EXPECT_EQ(fmt("python_version not\tin 'x'"), "python_version not in \"x\"");
  EXPECT_EQ(fmt("'3.1' in python_version"), "\"3.1\" in python_version");
  EXPECT_EQ(fmt("python_version === '3.8'"), "python_version === \"3.8\"");
  EXPECT_EQ(fmt("python_version ~= '3.8'"), "python_version ~= \"3.8\"");
  EXPECT_EQ(fmt("os_name != 'nt'"), "os_name != \"nt\"");
  EXPECT_EQ(fmt("python_version<='3' or python_version>='4' or python_version>'5'"),
            "python_version <= \"3\" or python_version >= \"4\" or python_version > \"5\"");
}

TEST(MarkerStr, EveryVariable) {
  for (std::size_t i = 0; i < kMarkerVarCount; ++i) {
    std::string name(marker_var_name(static_cast<MarkerVar>(i)));
    EXPECT_EQ(fmt(name + " != 'zz'"), name + " != \"zz\"");
  }
}

TEST(MarkerStr, AliasesPrintCanonically) {
  EXPECT_EQ(fmt("os.name == 'posix'"), "os_name == \"posix\"");
  EXPECT_EQ(fmt("sys.platform == 'linux'"), "sys_platform == \"linux\"");
  EXPECT_EQ(fmt("platform.version == 'x'"), "platform_version == \"x\"");
  EXPECT_EQ(fmt("platform.machine == 'x86_64'"), "platform_machine == \"x86_64\"");
  EXPECT_EQ(fmt("python_implementation == 'CPython'"), "platform_python_implementation == \"CPython\"");
  EXPECT_EQ(fmt("platform.python_implementation=='x'"), "platform_python_implementation == \"x\"");
}

TEST(MarkerStr, ParenthesesAsPackagingNestsThem) {
  EXPECT_EQ(fmt("((python_version=='1'))"), "python_version == \"1\"");
  EXPECT_EQ(fmt("(python_version=='1') and (os_name=='x' or os_name=='y')"),
            "python_version == \"1\" and (os_name == \"x\" or os_name == \"y\")");
  EXPECT_EQ(fmt("python_version=='1'or os_name=='2'and(extra=='3')"),
            "python_version == \"1\" or os_name == \"2\" and extra == \"3\"");
  EXPECT_EQ(fmt("(os_name == 'a' and os_name == 'b')"), "os_name == \"a\" and os_name == \"b\"");
  // A doubly parenthesised group loses its parentheses in packaging 23.0's str().
  EXPECT_EQ(fmt("os_name == 'a' and ((os_name == 'b' or os_name == 'c'))"),
            "os_name == \"a\" and os_name == \"b\" or os_name == \"c\"");
}

TEST(MarkerStr, ValuesAreDecodedPythonStrings) {
  EXPECT_EQ(fmt("os_name == \"a'b\""), "os_name == \"a'b\"");
  EXPECT_EQ(fmt("os_name == '\\u00e9'"), "os_name == \"\xc3\xa9\"");
  EXPECT_EQ(fmt("os_name == '\\101'"), "os_name == \"A\"");
  EXPECT_EQ(fmt("os_name == '\\q'"), "os_name == \"\\q\"");  // an unknown escape stays as written
  EXPECT_EQ(fmt("os_name == 'a\tb'"), "os_name == \"a\tb\"");
}

// packaging (23 and 25) prints every value in double quotes as it is, which can change what the marker
// means; thoth prints a value so that it reads back as itself (issue 20).
TEST(MarkerStr, PrintedTextReadsBackAsTheSameMarker) {
  const std::string issue = "'a\" == os_name or python_version >= \"0\" or \"b' == os_name";
  EXPECT_EQ(fmt(issue), "'a\" == os_name or python_version >= \"0\" or \"b' == os_name");
  EXPECT_EQ(fmt("os_name == 'a\"b'"), "os_name == 'a\"b'");
  EXPECT_EQ(fmt("os_name == '\\x22\\x27'"), "os_name == \"\\x22'\"");  // both quotes
  EXPECT_EQ(fmt("python_version == '\\x41\\n'"), "python_version == \"A\\x0a\"");
  EXPECT_EQ(fmt("os_name == '\\\\'"), "os_name == \"\\\\\"");
  EXPECT_EQ(fmt("os_name == '\\x00'"), "os_name == \"\\x00\"");
  EXPECT_EQ(fmt("os_name == '\\\\x41'"), "os_name == \"\\\\x41\"");  // a backslash, then x41
  MarkerEnv env;
  env.set(MarkerVar::OsName, "posix");
  env.set(MarkerVar::PythonVersion, "3.11");
  for (const std::string& text : {issue, std::string("os_name == '\\x22\\x27' or os_name == 'posix'"),
                                 std::string("os_name != '\\\\x41' and os_name != '\\n'")}) {
    SCOPED_TRACE(text);
    Marker m = Marker::parse(text);
    Marker again = Marker::parse(m.str());
    EXPECT_EQ(again.str(), m.str());
    EXPECT_EQ(again.evaluate(env), m.evaluate(env));
  }
  EXPECT_FALSE(Marker::parse(issue).evaluate(env));
}

TEST(MarkerStr, ExtraValueNormalisedOnlyInFirstComparison) {
  EXPECT_EQ(fmt("extra == 'Foo_Bar'"), "extra == \"foo-bar\"");
  EXPECT_EQ(fmt("'Foo' == extra"), "\"foo\" == extra");
  EXPECT_EQ(fmt("extra == '1.0'"), "extra == \"1-0\"");
  EXPECT_EQ(fmt("python_version > '3' and extra == 'Foo_Bar'"), "python_version > \"3\" and extra == \"Foo_Bar\"");
  EXPECT_EQ(fmt("(extra == 'Foo_Bar')"), "extra == \"Foo_Bar\"");
  // A variable facing `extra` in that first comparison turns into the string of its name.
  EXPECT_EQ(fmt("extra == python_version"), "extra == \"python-version\"");
  EXPECT_EQ(fmt("os_name == extra"), "\"os-name\" == extra");
  EXPECT_EQ(fmt("python_version == python_full_version"), "python_version == python_full_version");
}

// Found by the marker fuzzer (issue 19): parenthesised, `python_version > extra` compares the values of
// both variables; printed without its parentheses (as packaging 23 and 25 print it) it would read back
// as `"python-version" > extra`. It keeps them, wherever it ends up printed first.
TEST(MarkerStr, VariableFacingExtraKeepsItsMeaningWhenPrintedFirst) {
  EXPECT_EQ(fmt("((python_version> extra ))"), "(python_version > extra)");
  EXPECT_EQ(fmt("(extra == os_name) and os_name == 'posix'"), "(extra == os_name) and os_name == \"posix\"");
  EXPECT_EQ(fmt("os_name == 'posix' and (extra == os_name)"), "os_name == \"posix\" and extra == os_name");
  MarkerEnv env;
  env.set(MarkerVar::OsName, "posix");
  env.set(MarkerVar::PythonVersion, "3.11");
  for (const char* text : {"((python_version> extra ))", "(extra == os_name) and os_name == 'posix'",
                           "((os_name == extra)) or python_version < '3'"}) {
    SCOPED_TRACE(text);
    const Marker m = Marker::parse(text);
    const Marker again = Marker::parse(m.str());
    EXPECT_EQ(again.str(), m.str());
    EXPECT_EQ(again.mentions_extra(), m.mentions_extra());
    for (const char* extra : {"", "posix", "3.12", "a"}) EXPECT_EQ(again.evaluate(env, extra), m.evaluate(env, extra)) << extra;
  }
}

// packaging 23.2 and later: the whole text is the marker ("Enforce that the entire marker string is
// parsed", #687); 23.0 ignored what followed.
TEST(MarkerParse, TextAfterTheMarkerIsAnError) {
  expect_error("os_name == 'a' xyz", "expected 'and', 'or' or the end of the marker", 16);
  expect_error("os_name == 'a' )", "expected 'and', 'or' or the end of the marker", 16);
  expect_error("os_name=='a'andos_name=='b'", "expected 'and', 'or' or the end of the marker", 13);
  expect_error("os_name == 'a';", "expected 'and', 'or' or the end of the marker", 15);
  EXPECT_EQ(fmt("python_version >= '3.8'\n"), "python_version >= \"3.8\"");  // $ before a final newline
}

TEST(Marker, EqualityAndMentionsExtra) {
  EXPECT_EQ(Marker::parse("os.name=='posix'"), Marker::parse("os_name == \"posix\""));
  EXPECT_NE(Marker::parse("os_name=='posix'"), Marker::parse("os_name=='nt'"));
  EXPECT_TRUE(Marker::parse("extra == 'test'").mentions_extra());
  EXPECT_TRUE(Marker::parse("python_version > '3' and (os_name == 'nt' or 'x' in extra)").mentions_extra());
  EXPECT_TRUE(Marker::parse("'x' == 'extra'").mentions_extra());
  EXPECT_FALSE(Marker::parse("python_version > '3'").mentions_extra());
  EXPECT_FALSE(Marker::parse("os_name == 'x' and os_name == extra").mentions_extra());  // compares with "extra"
  Marker empty;
  EXPECT_EQ(empty.str(), "");
  EXPECT_TRUE(empty.evaluate(MarkerEnv{}));
  EXPECT_FALSE(empty.mentions_extra());
}

TEST(MarkerErrors, Positions) {
  expect_error("", "expected a marker variable or a quoted string", 1);
  expect_error("a == 'b'", "expected a marker variable or a quoted string", 1);
  expect_error("os_name == 'a' and", "expected a marker variable or a quoted string", 19);
  expect_error("os_name == 'posix' or", "expected a marker variable or a quoted string", 22);
  expect_error("(os_name == 'posix' or )", "expected a marker variable or a quoted string", 24);
  expect_error("platform.release == 'x'", "expected a marker variable or a quoted string", 1);
  expect_error("python_version <\n'3'", "expected a marker variable or a quoted string", 17);
  expect_error("os_name = 'x'", "expected a marker operator", 9);
  expect_error("os_name <> 'x'", "expected a marker variable or a quoted string", 10);
  expect_error("os_name not 'x'", "expected 'in' after 'not'", 13);
  expect_error("os_name not", "expected whitespace after 'not'", 12);
  expect_error("python_version == '3.8' or (os_name == 'nt'", "expected ')' (the '(' is at column 28)", 44);
  expect_error("os_name == 'unterminated", "expected a marker variable or a quoted string", 12);
  expect_error("python_version == '\\'", "unterminated string literal", 20);
  expect_error("python_version == 'a\nb'", "unterminated string literal", 21);
  expect_error("os_name == '\\x4'", "truncated \\x escape", 13);
  expect_error("os_name == '\\U00110000'", "illegal Unicode character", 13);
  expect_error("os_name == '\\N{DIGIT ONE}'", "not supported", 13);
}

// Issue 19: nested parentheses are bounded (parsing, evaluating and freeing the tree recurse per level).
TEST(MarkerParse, NestingIsBounded) {
  auto nested = [](std::size_t n) { return std::string(n, '(') + "os_name == 'posix'" + std::string(n, ')'); };
  EXPECT_EQ(fmt(nested(100)), "os_name == \"posix\"");
  expect_error(nested(101), "parentheses nest more than 100 levels deep", 101);
  expect_error(nested(150'000), "parentheses nest more than 100 levels deep", 101);
  EXPECT_THROW(Requirement::parse("foo ; " + nested(150'000)), RequirementError);
}
