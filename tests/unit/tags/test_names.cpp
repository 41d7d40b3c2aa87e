// Wheel and sdist file names, compressed tag sets.
#include <gtest/gtest.h>

#include "expected_data.hpp"
#include "thoth/tags.hpp"

namespace thoth {
namespace {

using test::tag_strings;
using Strings = std::vector<std::string>;

TEST(TagSetParse, ExpandsCompressedSetsInOrder) {
  EXPECT_EQ(tag_strings(parse_tag_set("py2.py3-none-any")), (Strings{"py2-none-any", "py3-none-any"}));
  EXPECT_EQ(tag_strings(parse_tag_set("cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64")),
            (Strings{"cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64"}));
  EXPECT_EQ(tag_strings(parse_tag_set("py2.py3-abi3.none-a.b")),
            (Strings{"py2-abi3-a", "py2-abi3-b", "py2-none-a", "py2-none-b", "py3-abi3-a", "py3-abi3-b",
                     "py3-none-a", "py3-none-b"}));
  EXPECT_EQ(tag_strings(parse_tag_set("py3.py3-none-any")), (Strings{"py3-none-any"}));  // no duplicates
  EXPECT_EQ(tag_strings(parse_tag_set("CP311-CP311-WIN_AMD64")), (Strings{"cp311-cp311-win_amd64"}));
}

TEST(TagSetParse, RejectsMalformedTags) {
  EXPECT_THROW(parse_tag_set("py3-none"), TagError);
  EXPECT_THROW(parse_tag_set("py3-none-any-x"), TagError);
  EXPECT_THROW(parse_tag_set("py3--any"), TagError);
  EXPECT_THROW(parse_tag_set("py3.-none-any"), TagError);
  EXPECT_THROW(Tag::parse("py2.py3-none-any"), TagError);
  EXPECT_EQ(Tag::parse("Py3-None-Any"), (Tag{"py3", "none", "any"}));
  try {
    parse_tag_set("py3-none");
    FAIL();
  } catch (const TagError& e) {
    EXPECT_NE(std::string(e.what()).find("\"py3-none\""), std::string::npos) << e.what();
  }
}

// Found by the json_page fuzzer (issue 19): the set is a product, so a name of a couple of kilobytes
// stood for millions of tags, deduplicated pairwise (a page with one such wheel kept thoth busy for
// minutes). The product is bounded before anything is built; duplicates go in linear time.
std::string alternatives(const char* prefix, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? "." : "") + std::string(prefix) + std::to_string(i);
  return out;
}

TEST(TagSetParse, BoundedProduct) {
  const std::string bomb = alternatives("py", 150) + "-" + alternatives("a", 150) + "-" + alternatives("p", 150);
  try {
    parse_tag_set(bomb);
    FAIL();
  } catch (const TagError& e) {
    EXPECT_NE(std::string(e.what()).find("3375000 tags (more than 1024)"), std::string::npos) << e.what();
  }
  EXPECT_THROW(WheelName::parse("demo-1.0-" + bomb + ".whl"), TagError);
  // At the bound: every tag, once, in expansion order, duplicates dropped (32 * 2 * 16 = 1024 listed).
  const std::vector<Tag> set = parse_tag_set(alternatives("py", 32) + "-none.NONE-" + alternatives("p", 16));
  ASSERT_EQ(set.size(), 512u);
  EXPECT_EQ(set.front().str(), "py0-none-p0");
  EXPECT_EQ(set[1].str(), "py0-none-p1");
  EXPECT_EQ(set.back().str(), "py31-none-p15");
  EXPECT_THROW(parse_tag_set(alternatives("py", 33) + "-none.none-" + alternatives("p", 16)), TagError);
}

TEST(WheelNameParse, PlainWheel) {
  WheelName w = WheelName::parse("requests-2.31.0-py3-none-any.whl");
  EXPECT_EQ(w.name, "requests");
  EXPECT_EQ(w.version, Version::parse("2.31.0"));
  EXPECT_FALSE(w.build.has_value());
  EXPECT_EQ(tag_strings(w.tags), (Strings{"py3-none-any"}));
}

TEST(WheelNameParse, NormalisesNameAndVersion) {
  WheelName w = WheelName::parse("Zope.Interface-5.0.0RC1-cp311-cp311-linux_x86_64.whl");
  EXPECT_EQ(w.name, "zope-interface");
  EXPECT_EQ(w.version.str(), "5.0.0rc1");
  EXPECT_EQ(WheelName::parse("foo_bar-1.0-py3-none-any.whl").name, "foo-bar");
}

TEST(WheelNameParse, BuildTags) {
  WheelName w = WheelName::parse("Foo_Bar-2.0-1-py2.py3-none-any.whl");
  EXPECT_EQ(w.name, "foo-bar");
  ASSERT_TRUE(w.build.has_value());
  EXPECT_EQ(w.build->first, 1u);
  EXPECT_EQ(w.build->second, "");
  EXPECT_EQ(tag_strings(w.tags), (Strings{"py2-none-any", "py3-none-any"}));

  WheelName w2 = WheelName::parse("numpy-1.26.0-20231201abc-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  ASSERT_TRUE(w2.build.has_value());
  EXPECT_EQ(w2.build->first, 20231201u);
  EXPECT_EQ(w2.build->second, "abc");
  EXPECT_EQ(w2.tags.size(), 2u);
  // PEP 427: build tags sort by number first, then by the rest.
  EXPECT_LT(*WheelName::parse("a-1-9z-py3-none-any.whl").build, *WheelName::parse("a-1-10-py3-none-any.whl").build);
}

void expect_wheel_error(std::string_view filename, std::string_view fragment) {
  try {
    WheelName::parse(filename);
    ADD_FAILURE() << "accepted " << filename;
  } catch (const TagError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(std::string(filename)), std::string::npos) << msg;
    EXPECT_NE(msg.find(std::string(fragment)), std::string::npos) << msg;
  }
}

TEST(WheelNameParse, RejectsInvalidNamesWithClearErrors) {
  expect_wheel_error("foo-1.0-py3-none-any.zip", "extension must be '.whl'");
  expect_wheel_error("foo-1.0-py3-none.whl", "4 or 5 dashes");
  expect_wheel_error("foo-1.0-1-2-py3-none-any.whl", "4 or 5 dashes");
  expect_wheel_error("foo__bar-1.0-py3-none-any.whl", "invalid project name");
  expect_wheel_error("foo+bar-1.0-py3-none-any.whl", "invalid project name");
  expect_wheel_error("-1.0-py3-none-any.whl", "invalid project name");
  expect_wheel_error("foo-bar-1.0-py3-none-any.whl", "invalid version \"bar\"");
  expect_wheel_error("foo-notaversion-py3-none-any.whl", "invalid version");
  expect_wheel_error("foo-1.0-x1-py3-none-any.whl", "build tag \"x1\"");
  expect_wheel_error("foo-1.0-py3--any.whl", "invalid compatibility tag");
  expect_wheel_error("foo-1.0-py3-none-.whl", "invalid compatibility tag");
}

TEST(SdistNameParse, Pep625) {
  SdistName s = SdistName::parse("foo_bar-1.0.tar.gz");
  EXPECT_EQ(s.name, "foo-bar");
  EXPECT_EQ(s.version, Version::parse("1.0"));
  EXPECT_EQ(SdistName::parse("Django-4.2.7.zip").name, "django");
  // A version has no '-', so the name is everything before the last one (packaging's rule).
  EXPECT_EQ(SdistName::parse("foo-bar-1.0.tar.gz").name, "foo-bar");
  SdistName odd = SdistName::parse("foo-1.0-2.tar.gz");
  EXPECT_EQ(odd.name, "foo-1-0");
  EXPECT_EQ(odd.version, Version::parse("2"));
}

TEST(SdistNameParse, RejectsInvalid) {
  EXPECT_THROW(SdistName::parse("foo-1.0.tar.bz2"), TagError);
  EXPECT_THROW(SdistName::parse("foo.tar.gz"), TagError);
  EXPECT_THROW(SdistName::parse("-1.0.tar.gz"), TagError);
  try {
    SdistName::parse("foo-bar.tar.gz");
    FAIL();
  } catch (const TagError& e) {
    EXPECT_NE(std::string(e.what()).find("foo-bar.tar.gz"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("invalid version \"bar\""), std::string::npos) << e.what();
  }
}

TEST(SdistNameParse, LegacyNamesForAKnownProject) {
  auto s = SdistName::parse_for_project("Foo-Bar-1.0.tar.gz", "foo-bar");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->name, "foo-bar");
  EXPECT_EQ(s->version, Version::parse("1.0"));
  EXPECT_EQ(SdistName::parse_for_project("foo_bar-2.0.tgz", "Foo.Bar")->version, Version::parse("2.0"));
  for (const char* ext : {".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz",
                          ".tar.lz", ".tar.lzma"}) {
    auto r = SdistName::parse_for_project(std::string("pkg-3.1") + ext, "pkg");
    ASSERT_TRUE(r.has_value()) << ext;
    EXPECT_EQ(r->version, Version::parse("3.1")) << ext;
  }
  // A prefix that is another project, a wheel, an unknown format, no version.
  EXPECT_FALSE(SdistName::parse_for_project("foo-bar-1.0.tar.gz", "foo").has_value());
  EXPECT_FALSE(SdistName::parse_for_project("bar-1.0.tar.gz", "foo").has_value());
  EXPECT_FALSE(SdistName::parse_for_project("foo-1.0-py3-none-any.whl", "foo").has_value());
  EXPECT_FALSE(SdistName::parse_for_project("foo-1.0.exe", "foo").has_value());
  EXPECT_FALSE(SdistName::parse_for_project("foo-1.0.TAR.GZ", "foo").has_value());  // pip: case matters
  EXPECT_FALSE(SdistName::parse_for_project("foo-.tar.gz", "foo").has_value());
  EXPECT_FALSE(SdistName::parse_for_project("foo-latest.tar.gz", "foo").has_value());
  EXPECT_FALSE(SdistName::parse_for_project("foo", "foo").has_value());
}

}  // namespace
}  // namespace thoth
