// Requirements files as pip reads them: continuations, comments, ${VAR}, nested -r/-c, per-line
// options, links, and errors that point at the bad line.
#include <gtest/gtest.h>

#include <map>

#include "inputs/line_options.hpp"
#include "thoth/inputs.hpp"

namespace thoth {
namespace {

// An in-memory file system so each test states its files inline.
struct Files {
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> env;

  RequirementSet parse(const std::string& path) {
    RequirementsParser parser(
        [this](const std::string& p) {
          auto it = files.find(p);
          if (it == files.end()) throw InputError("cannot open requirements file " + p);
          return it->second;
        },
        [this](std::string_view name) -> std::optional<std::string> {
          auto it = env.find(std::string(name));
          if (it == env.end()) return std::nullopt;
          return it->second;
        });
    RequirementSet set;
    parser.parse_file(path, false, set);
    return set;
  }
};

std::vector<std::string> strs(const std::vector<UserRequirement>& reqs) {
  std::vector<std::string> out;
  for (const auto& r : reqs) out.push_back(r.link.empty() ? r.requirement.str() : r.link);
  return out;
}

TEST(RequirementsFile, PlainLinesCommentsAndBlankLines) {
  Files fs;
  fs.files["r.txt"] =
      "# a comment\n"
      "\n"
      "requests[socks]>=2.8  # trailing comment\n"
      "six\r\n";
  auto set = fs.parse("r.txt");
  ASSERT_EQ(set.requirements.size(), 2u) << ::testing::PrintToString(strs(set.requirements));
  EXPECT_EQ(set.requirements[0].requirement.name, "requests");
  EXPECT_EQ(set.requirements[0].requirement.extras, std::vector<std::string>{"socks"});
  EXPECT_EQ(set.requirements[0].line, 3);
  EXPECT_EQ(set.requirements[1].requirement.name, "six");
  EXPECT_EQ(set.requirements[1].origin, "r.txt");
}

TEST(RequirementsFile, HashAfterRequirementIsKept) {
  Files fs;
  std::string h(64, 'a');
  fs.files["r.txt"] = "foo==1.0 --hash=sha256:" + h + " \\\n    --hash sha256:" + std::string(64, 'B') + "\n";
  auto set = fs.parse("r.txt");
  ASSERT_EQ(set.requirements.size(), 1u);
  EXPECT_EQ(set.requirements[0].hashes, (std::vector<std::string>{"sha256:" + h, "sha256:" + std::string(64, 'b')}));
}

TEST(RequirementsFile, ContinuationKeepsFirstLineNumber) {
  Files fs;
  fs.files["r.txt"] = "a\nfoo\\\n>=1.0\\\n,<2\n";
  auto set = fs.parse("r.txt");
  ASSERT_EQ(set.requirements.size(), 2u);
  EXPECT_EQ(set.requirements[1].requirement.str(), "foo<2,>=1.0");
  EXPECT_EQ(set.requirements[1].line, 2);
}

TEST(RequirementsFile, EnvironmentVariables) {
  Files fs;
  fs.env["VERSION"] = "2.0";
  fs.files["r.txt"] = "foo==${VERSION}\nbar${UNSET}\n--index-url https://${VERSION}/simple\n";
  Files copy = fs;
  copy.files["r.txt"] = "foo==${VERSION}\n--index-url https://x${VERSION}/simple\n";
  auto set = copy.parse("r.txt");
  EXPECT_EQ(set.requirements[0].requirement.str(), "foo==2.0");
  EXPECT_EQ(set.options.index.index_url, "https://x2.0/simple");
  // An unset variable stays as written, which then is not a valid requirement.
  EXPECT_THROW(fs.parse("r.txt"), InputError);
}

TEST(RequirementsFile, NestedFilesRelativeToTheIncludingFile) {
  Files fs;
  fs.files["dir/r.txt"] = "-r sub/base.txt\n-c constraints.txt\nfoo\n";
  fs.files["dir/sub/base.txt"] = "bar\n--requirement=../more.txt\n";
  fs.files["dir/more.txt"] = "baz\n";
  fs.files["dir/constraints.txt"] = "bar<2\n";
  auto set = fs.parse("dir/r.txt");
  EXPECT_EQ(strs(set.requirements), (std::vector<std::string>{"bar", "baz", "foo"}));
  ASSERT_EQ(set.constraints.size(), 1u);
  EXPECT_EQ(set.constraints[0].requirement.str(), "bar<2");
  EXPECT_EQ(set.constraints[0].origin, "dir/constraints.txt");
}

TEST(RequirementsFile, IncludeCycleIsAnError) {
  Files fs;
  fs.files["a.txt"] = "-r b.txt\n";
  fs.files["b.txt"] = "-r a.txt\n";
  EXPECT_THROW(fs.parse("a.txt"), InputError);
}

TEST(RequirementsFile, MissingNestedFileNamesItAndTheIncludingLine) {
  Files fs;
  fs.files["a.txt"] = "six\n-r b.txt\n";
  fs.files["b.txt"] = "# b\n\n-c nope.txt\n";
  try {
    fs.parse("a.txt");
    FAIL();
  } catch (const InputError& e) {
    // The line that names the missing file, not the whole chain of includes.
    EXPECT_EQ(std::string(e.what()), "b.txt:3: cannot open requirements file nope.txt");
  }
  // A top-level file is named alone.
  try {
    fs.parse("missing.txt");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open requirements file missing.txt");
  }
  // The line that closes a cycle.
  fs.files["b.txt"] = "-r a.txt\n";
  try {
    fs.parse("a.txt");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "b.txt:1: a.txt: requirements files include each other in a cycle");
  }
}

// A requirements file read from a URL with a password is named without it wherever it is shown: the
// "# via -r" origin of its requirements, the "FILE:LINE:" of its errors, the line that includes another.
TEST(RequirementsFile, UrlPasswordIsNeverShown) {
  Files fs;
  const std::string url = "https://alice:s3cret@host.example/reqs.txt";
  fs.files[url] = "six\n-r more.txt\n";
  fs.files["https://alice:s3cret@host.example/more.txt"] = "attrs\nbad line ==\n";
  try {
    fs.parse(url);
    FAIL();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find("s3cret"), std::string::npos) << msg;
    EXPECT_EQ(msg.rfind("https://alice:****@host.example/more.txt:2: ", 0), 0u) << msg;
  }
  fs.files["https://alice:s3cret@host.example/more.txt"] = "attrs\n-r missing.txt\n";
  try {
    fs.parse(url);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("https://alice:****@host.example/more.txt:2: ", 0), 0u) << e.what();
  }
  fs.files["https://alice:s3cret@host.example/more.txt"] = "attrs\n";
  const RequirementSet set = fs.parse(url);
  ASSERT_EQ(set.requirements.size(), 2u);
  EXPECT_EQ(set.requirements[0].origin, "https://alice:****@host.example/reqs.txt");
  EXPECT_EQ(set.requirements[1].origin, "https://alice:****@host.example/more.txt");
}

TEST(RequirementsFile, DirectoryIsAnError) {
  std::string dir = ::testing::TempDir();
  try {
    read_local_file(dir);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(dir), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
}

TEST(RequirementsFile, IndexAndResolutionOptions) {
  Files fs;
  fs.files["r.txt"] =
      "-i https://pypi.example/simple\n"
      "--extra-index-url https://extra.example/simple\n"
      "--extra-index-url=https://extra2.example/simple\n"
      "-f https://links.example/\n"
      "--trusted-host extra.example\n"
      "--pre\n"
      "--prefer-binary\n"
      "--require-hashes\n"
      "--only-binary :all:\n"
      "--no-binary foo,Bar_Baz\n"
      "--use-feature=truststore\n";
  auto set = fs.parse("r.txt");
  const FileOptions& o = set.options;
  EXPECT_EQ(o.index.index_url, "https://pypi.example/simple");
  EXPECT_EQ(o.index.extra_index_urls, (std::vector<std::string>{"https://extra.example/simple", "https://extra2.example/simple"}));
  EXPECT_EQ(o.index.find_links, std::vector<std::string>{"https://links.example/"});
  EXPECT_EQ(o.index.trusted_hosts, std::vector<std::string>{"extra.example"});
  EXPECT_TRUE(o.pre);
  EXPECT_TRUE(o.binary.prefer_binary);
  EXPECT_TRUE(o.require_hashes);
  EXPECT_TRUE(o.binary.only_binary_all);
  EXPECT_EQ(o.binary.no_binary, (std::vector<std::string>{"foo", "bar-baz"}));
  EXPECT_TRUE(o.binary.sdists_allowed("foo"));
  EXPECT_FALSE(o.binary.wheels_allowed("foo"));
  EXPECT_TRUE(o.binary.wheels_allowed("other"));
  EXPECT_FALSE(o.binary.sdists_allowed("other"));
}

TEST(RequirementsFile, NoIndex) {
  Files fs;
  fs.files["r.txt"] = "--no-index\n--find-links /srv/wheels\nfoo\n";
  auto set = fs.parse("r.txt");
  EXPECT_EQ(set.options.index.no_index, true);
  EXPECT_EQ(set.options.index.find_links, std::vector<std::string>{"/srv/wheels"});
}

TEST(RequirementsFile, LinksAndUrlRequirements) {
  Files fs;
  fs.files["/work/proj/r.txt"] =
      "./vendor/foo-1.0-py3-none-any.whl\n"
      "https://host.example/pkgs/bar-2.0.tar.gz#egg=bar\n"
      "baz @ https://host.example/baz-1.0-py3-none-any.whl ; python_version >= \"3\"\n"
      "-e git+https://host.example/repo.git#egg=qux\n";
  auto set = fs.parse("/work/proj/r.txt");
  ASSERT_EQ(set.requirements.size(), 4u);
  EXPECT_EQ(set.requirements[0].link, "/work/proj/vendor/foo-1.0-py3-none-any.whl");
  EXPECT_EQ(set.requirements[1].link, "https://host.example/pkgs/bar-2.0.tar.gz#egg=bar");
  EXPECT_EQ(set.requirements[1].requirement.name, "bar");
  EXPECT_EQ(set.requirements[2].requirement.url, "https://host.example/baz-1.0-py3-none-any.whl");
  EXPECT_TRUE(set.requirements[2].requirement.marker.has_value());
  EXPECT_TRUE(set.requirements[3].editable);
  EXPECT_EQ(set.requirements[3].requirement.name, "qux");
}

TEST(RequirementsFile, LinkWithExtrasAndMarker) {
  auto req = RequirementsParser::parse_argument("./dist/foo-1.0.tar.gz[cli] ; sys_platform == 'linux'", "/tmp");
  EXPECT_EQ(req.link, "/tmp/dist/foo-1.0.tar.gz");
  EXPECT_EQ(req.requirement.extras, std::vector<std::string>{"cli"});
  ASSERT_TRUE(req.requirement.marker.has_value());
  EXPECT_EQ(req.requirement.name, "");
}

TEST(RequirementsFile, BadRequirementPointsAtTheLine) {
  Files fs;
  fs.files["r.txt"] = "good\nfoo >=\n";
  try {
    fs.parse("r.txt");
    FAIL();
  } catch (const InputError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("r.txt:2: ", 0), 0u) << msg;
    EXPECT_NE(msg.find("\n    foo >=\n    "), std::string::npos) << msg;
    EXPECT_EQ(msg.back(), '^');
  }
}

TEST(RequirementsFile, UnknownOptionAndBadHashAreErrors) {
  for (std::string text : {"--frobnicate\n", "foo --hash=md5:abc\n", "foo --hash=sha256:xyz\n",
                           "foo --index-url https://x/\n", "--index-url\n", "-r \"unterminated\n",
                           "foo --install-option=--prefix=/x\n"}) {
    Files fs;
    fs.files["r.txt"] = text;
    EXPECT_THROW(fs.parse("r.txt"), InputError) << text;
  }
}

// The message of the InputError parsing `text` as r.txt throws ("" if none).
std::string error_of(const std::string& text) {
  Files fs;
  fs.files["r.txt"] = text;
  try {
    fs.parse("r.txt");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Issue 19 defect 6: pip's auto_decode reads UTF-16 and UTF-32 files by their byte order mark
// (PowerShell's `>` writes UTF-16-LE); a UTF-8 mark is dropped.
TEST(RequirementsFile, Utf16AndUtf32WithByteOrderMark) {
  const std::u32string text = U"# caf\u00e9 \U0001F600\nsix==1.16\nrequests>=2 ; python_version >= \"3\"\n";
  auto encode = [&](std::size_t width, bool big_endian) {
    std::string out;
    auto put = [&](char32_t unit) {
      for (std::size_t k = 0; k < width; ++k) {
        std::size_t shift = 8 * (big_endian ? width - 1 - k : k);
        out += static_cast<char>((unit >> shift) & 0xFF);
      }
    };
    put(0xFEFF);
    for (char32_t c : text) {
      if (width == 2 && c > 0xFFFF) {
        put(0xD800 + ((c - 0x10000) >> 10));
        put(0xDC00 + ((c - 0x10000) & 0x3FF));
      } else {
        put(c);
      }
    }
    return out;
  };
  for (auto [width, big] : {std::pair<std::size_t, bool>{2, false}, {2, true}, {4, false}, {4, true}}) {
    SCOPED_TRACE(std::to_string(width) + (big ? " BE" : " LE"));
    Files fs;
    fs.files["r.txt"] = encode(width, big);
    auto set = fs.parse("r.txt");
    EXPECT_EQ(strs(set.requirements), (std::vector<std::string>{"six==1.16", "requests>=2; python_version >= \"3\""}));
    EXPECT_EQ(set.requirements[1].line, 3);
  }
  Files fs;
  fs.files["r.txt"] = "\xEF\xBB\xBFsix\n";
  EXPECT_EQ(strs(fs.parse("r.txt").requirements), std::vector<std::string>{"six"});
  // Bytes that are not what the mark announces: an error naming the file.
  EXPECT_NE(error_of(std::string("\xFF\xFEs\x00i", 5)).find("r.txt starts with a UTF-16-LE byte order mark"),
            std::string::npos);
  EXPECT_NE(error_of(std::string("\xFF\xFE\x00\xD8s\x00", 6)).find("lone surrogate"), std::string::npos);
  EXPECT_NE(error_of(std::string("\x00\x00\xFE\xFF\x00\x11\x00\x00", 8)).find("UTF-32-BE"), std::string::npos);
}

// Issue 19: pip splits a requirements file with Python's str.splitlines(), so a form feed, a vertical
// tab, \x1c-\x1e, a lone \r, U+0085, U+2028 and U+2029 each end a line and count in its number.
TEST(RequirementsFile, LinesSplitAsPythonSplitlines) {
  Files fs;
  fs.files["r.txt"] = "a\fb\x1c" "c\r\nd\re\xC2\x85" "f\xE2\x80\xA8g\xE2\x80\xA9h\vi\x1dj\x1ek\n\\\fm  # x\fn";
  auto set = fs.parse("r.txt");
  std::vector<std::pair<std::string, int>> got;
  for (const auto& r : set.requirements) got.emplace_back(r.requirement.name, r.line);
  // What pip's preprocess() gives for the same text: a continuation joins across a form feed too.
  EXPECT_EQ(got, (std::vector<std::pair<std::string, int>>{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}, {"e", 5},
                                                           {"f", 6}, {"g", 7}, {"h", 8}, {"i", 9}, {"j", 10},
                                                           {"k", 11}, {"m", 12}, {"n", 14}}));
}

// Issue 19: pip's auto_decode honours a PEP 263 coding line (ENCODING_RE on either of the first two
// lines, when it starts with '#') in a file it opens by path.
TEST(RequirementsFile, CodingLineNamesTheEncoding) {
  auto markers = [](const std::string& bytes, const std::string& path = "r.txt") {
    Files fs;
    fs.files[path] = bytes;
    std::vector<std::string> out;
    for (const auto& r : fs.parse(path).requirements) out.push_back(r.requirement.str());
    return out;
  };
  EXPECT_EQ(markers("# -*- coding: latin-1 -*-\nfoo ; platform_release == \"caf\xE9\"\n"),
            std::vector<std::string>{"foo; platform_release == \"caf\xC3\xA9\""});
  // Second line, vim's spelling, Windows-1252 (0x80 is the euro sign there, a C1 control in Latin-1).
  EXPECT_EQ(markers("#!/bin/sh\n# vim: set fileencoding=cp1252 :\nbar ; platform_version == \"\x80\"\n"),
            std::vector<std::string>{"bar; platform_version == \"\xE2\x82\xAC\""});
  // Names as Python's codec lookup normalises them: ISO_8859-1 (ENCODING_RE stops at ':'), Latin9.
  EXPECT_EQ(markers("#coding=ISO_8859-1:1987\nx ; os_name == \"\xE9\"\n"),
            std::vector<std::string>{"x; os_name == \"\xC3\xA9\""});
  EXPECT_EQ(markers("#coding: Latin9\nx ; os_name == \"\xA4\"\n"), std::vector<std::string>{"x; os_name == \"\xE2\x82\xAC\""});
  EXPECT_EQ(markers("# coding: utf8\nx ; os_name == \"\xC3\xA9\"\n"), std::vector<std::string>{"x; os_name == \"\xC3\xA9\""});
  // Not a coding line: a third line, a '#' after a space, a name of no characters; nor read in a file
  // fetched by URL (pip decodes those as the HTTP response says).
  EXPECT_EQ(markers("\n\n# coding: klingon\nx\n"), std::vector<std::string>{"x"});
  EXPECT_EQ(markers(" # coding: klingon\nx\n"), std::vector<std::string>{"x"});
  EXPECT_EQ(markers("# coding: \nx\n"), std::vector<std::string>{"x"});
  EXPECT_EQ(markers("# coding: klingon\nx\n", "https://example.org/r.txt"), std::vector<std::string>{"x"});
  EXPECT_EQ(markers("\xEF\xBB\xBF# coding: klingon\nx\n"), std::vector<std::string>{"x"});  // the mark wins

  auto error = [](const std::string& bytes) {
    Files fs;
    fs.files["r.txt"] = bytes;
    try {
      fs.parse("r.txt");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error("# coding: klingon\nx\n"),
            "requirements file r.txt declares the encoding \"klingon\" in a coding line, which thoth does not read "
            "(it reads UTF-8, ASCII, Latin-1, ISO-8859-15 and Windows-1252): save the file as UTF-8 and remove the "
            "coding line");
  EXPECT_EQ(error("#coding: ascii\nfoo\xE9"),
            "requirements file r.txt declares the encoding \"ascii\" in a coding line, but byte 0xE9 at offset 18 is "
            "not a character of it: correct the coding line, or save the file as UTF-8");
  EXPECT_NE(error("#coding: cp1252\n\x81").find("byte 0x81 at offset 16"), std::string::npos);  // undefined there
}

// Issue 19 defect 9: `-r /dev/zero` grew to 8 GB; input files are read up to a bound.
TEST(RequirementsFile, InputSizeIsBounded) {
  try {
    read_local_file("/dev/zero");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "requirements file /dev/zero is larger than 64 MiB (the most thoth reads from one input file)");
  }
}

// Nested -r files: a chain without a cycle is bounded too.
TEST(RequirementsFile, IncludeDepthIsBounded) {
  Files fs;
  for (std::size_t i = 0; i < 150; ++i) fs.files["r" + std::to_string(i) + ".txt"] = "-r r" + std::to_string(i + 1) + ".txt\n";
  fs.files["r150.txt"] = "six\n";
  try {
    fs.parse("r0.txt");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "r99.txt:1: r100.txt: requirements files nest more than 100 levels deep through -r/-c");
  }
  fs.files["r40.txt"] = "six\n";
  EXPECT_EQ(strs(fs.parse("r0.txt").requirements), std::vector<std::string>{"six"});
}

// Issue 19 defect 15: pip's rules for constraints files and editables.
TEST(RequirementsFile, ConstraintsAndEditablesAsPipChecksThem) {
  Files fs;
  fs.files["r.txt"] = "-c c.txt\nsix\n";
  auto constraint_error = [&](const std::string& line) {
    fs.files["c.txt"] = line + "\n";
    try {
      fs.parse("r.txt");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  std::string dir = ::testing::TempDir();
  EXPECT_NE(constraint_error("-e " + dir).find("c.txt:1: editable requirements are not allowed as constraints"),
            std::string::npos);
  EXPECT_NE(constraint_error("requests[socks]<3").find("c.txt:1: constraints cannot have extras"), std::string::npos);
  EXPECT_NE(constraint_error("./vendor/foo-1.0.tar.gz").find("unnamed requirements are not allowed as constraints"),
            std::string::npos);
  EXPECT_EQ(constraint_error("requests<3 ; python_version >= '3'"), "");
  EXPECT_EQ(constraint_error("foo @ https://host.example/foo-1.0.tar.gz"), "");  // pip allows links
  // -e takes a local project or a VCS URL, never a name an index could serve.
  for (std::string bad : {"-e foo", "-e foo[bar]", "-e https://host.example/foo-1.0.tar.gz", "-e ./no-such-dir"}) {
    std::string msg = error_of(bad + "\n");
    EXPECT_NE(msg.find("is not a valid editable requirement"), std::string::npos) << bad << ": " << msg;
    EXPECT_EQ(msg.rfind("r.txt:1: ", 0), 0u) << msg;
  }
  for (std::string good : {std::string("-e git+https://host.example/r.git#egg=foo"), std::string("-e git://host.example/r.git#egg=foo"),
                           std::string("-e file:///tmp/proj#egg=foo"), "-e " + dir, "-e " + dir + "[extra]"})
    EXPECT_EQ(error_of(good + "\n"), "") << good;
}

// Issue 19 defect 15, issue 15: current pip accepts --config-settings on a requirement line, for that
// requirement's builds; thoth keeps it for them. On a constraint it reaches no build (a warning says
// so). --global-option stays refused (a deliberate difference, man/thoth.1).
TEST(RequirementsFile, ConfigSettingsAreKeptForTheRequirement) {
  Files fs;
  fs.files["r.txt"] = "six --config-settings=editable_mode=compat -C k=v\n-c c.txt\n";
  fs.files["c.txt"] = "six<2 -C k=v\n";
  auto set = fs.parse("r.txt");
  ASSERT_EQ(set.requirements.size(), 1u);
  EXPECT_EQ(set.requirements[0].config_settings, (std::vector<std::string>{"editable_mode=compat", "k=v"}));
  EXPECT_EQ(set.warnings, std::vector<std::string>{"c.txt:1: --config-settings on a constraint applies to nothing (as "
                                                   "in pip); write it after the requirement of a requirements file"});
  EXPECT_NE(error_of("six --config-settings novalue\n").find("--config-settings needs KEY=VALUE"), std::string::npos);
  EXPECT_NE(error_of("six --global-option=--no-user-cfg\n").find("--global-option is not supported"), std::string::npos);
}

TEST(LineOptions, ShortFormsAndEquals) {
  std::string args;
  LineOptions o = parse_line_options("-ihttps://a/simple -f=https://b/", args);
  EXPECT_EQ(args, "");
  EXPECT_EQ(o.index_url, "https://a/simple");
  EXPECT_EQ(o.find_links, std::vector<std::string>{"https://b/"});
  o = parse_line_options("foo>=1; python_version<'3.9' --hash=sha256:" + std::string(64, '0'), args);
  EXPECT_EQ(args, "foo>=1; python_version<'3.9'");
  EXPECT_EQ(o.hashes.size(), 1u);
}

TEST(BinaryOption, PipFormatControlRules) {
  BinaryPolicy p;
  apply_binary_option(p, ":all:", true);
  EXPECT_TRUE(p.no_binary_all);
  apply_binary_option(p, "foo", false);
  EXPECT_TRUE(p.wheels_allowed("foo"));
  EXPECT_FALSE(p.sdists_allowed("foo"));
  EXPECT_FALSE(p.wheels_allowed("bar"));
  apply_binary_option(p, ":none:", true);
  EXPECT_FALSE(p.no_binary_all);
  EXPECT_TRUE(p.wheels_allowed("bar"));
  apply_binary_option(p, "foo", true);  // moves foo from only-binary to no-binary
  EXPECT_TRUE(p.only_binary.empty());
  EXPECT_FALSE(p.wheels_allowed("foo"));
}

}  // namespace
}  // namespace thoth
