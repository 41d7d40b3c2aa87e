// CoreMetadata::parse: required fields, error messages, Requires-Dist / Requires-Python, extras
// (PEP 685), Dynamic (PEP 643) and the description.
#include "thoth/metadata.hpp"

#include <gtest/gtest.h>

#include <string>

namespace thoth {
namespace {

// Expects parse(text) to throw a MetadataError whose message contains every piece of `parts`.
void expect_error(std::string_view text, std::initializer_list<std::string_view> parts) {
  try {
    CoreMetadata::parse(text);
    ADD_FAILURE() << "no MetadataError for:\n" << text;
  } catch (const MetadataError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (std::string_view p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  }
}

TEST(Metadata, MinimalDocument) {
  CoreMetadata md = CoreMetadata::parse("Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0.POST1\n");
  EXPECT_EQ(md.metadata_version, "2.1");
  EXPECT_EQ(md.name, "Foo_Bar");
  EXPECT_EQ(md.version, Version::parse("1.0.post1"));
  EXPECT_EQ(md.version.str(), "1.0.post1");
  EXPECT_TRUE(md.summary.empty());
  EXPECT_TRUE(md.requires_dist.empty());
  EXPECT_TRUE(md.requires_python.empty());
  EXPECT_TRUE(md.provides_extra.empty());
  EXPECT_TRUE(md.dynamic.empty());
  EXPECT_EQ(md.fields.size(), 3u);
  EXPECT_TRUE(md.description.empty());
}

TEST(Metadata, FieldNamesAreCaseInsensitive) {
  CoreMetadata md = CoreMetadata::parse(
      "metadata-version: 2.1\nNAME: foo\nversion: 2\nrequires-DIST: bar>=1\nREQUIRES-PYTHON: >=3.8\n"
      "provides-extra: Test\nsummary: hi\n");
  EXPECT_EQ(md.metadata_version, "2.1");
  EXPECT_EQ(md.name, "foo");
  EXPECT_EQ(md.version, Version::parse("2"));
  ASSERT_EQ(md.requires_dist.size(), 1u);
  EXPECT_EQ(md.requires_dist[0].name, "bar");
  EXPECT_EQ(md.requires_python.str(), ">=3.8");
  EXPECT_EQ(md.provides_extra, (std::vector<std::string>{"test"}));
  EXPECT_EQ(md.summary, "hi");
  // Names in `fields` stay as written; all() looks them up case-insensitively.
  EXPECT_EQ(md.fields[1].first, "NAME");
  EXPECT_EQ(md.all("Requires-Dist"), (std::vector<std::string_view>{"bar>=1"}));
  EXPECT_EQ(md.all("name"), (std::vector<std::string_view>{"foo"}));
  EXPECT_TRUE(md.all("Classifier").empty());
}

TEST(Metadata, FirstOccurrenceOfASingleUseFieldWins) {
  // As email.message.Message.get (pip's accessor) does.
  CoreMetadata md = CoreMetadata::parse("Name: first\nName: second\nVersion: 1\nVersion: 2\n");
  EXPECT_EQ(md.name, "first");
  EXPECT_EQ(md.version, Version::parse("1"));
  EXPECT_EQ(md.all("Name").size(), 2u);
}

TEST(Metadata, MissingRequiredFields) {
  expect_error("Metadata-Version: 2.1\nVersion: 1.0\n", {"Name", "missing"});
  expect_error("Metadata-Version: 2.1\nName:   \nVersion: 1.0\n", {"Name", "empty"});
  expect_error("Metadata-Version: 2.1\nName: foo\n", {"foo", "Version", "missing"});
  expect_error("", {"Name", "missing"});
  // A stray line ends the header section (as in Python's email parser), hiding Version.
  expect_error("Metadata-Version: 2.1\nName: foo\nthis is not a header\nVersion: 1.0\n", {"Version", "missing"});
}

TEST(Metadata, MissingMetadataVersionIsTolerated) {
  CoreMetadata md = CoreMetadata::parse("Name: foo\nVersion: 1.0\n");
  EXPECT_EQ(md.metadata_version, "");
  EXPECT_FALSE(md.dependencies_are_static());
}

TEST(Metadata, InvalidVersion) {
  expect_error("Metadata-Version: 2.1\nName: foo\nVersion: 1.0 beta\n", {"foo", "Version", "\"1.0 beta\""});
  expect_error("Metadata-Version: 2.1\nName: foo\nVersion:\n", {"Version", "\"\""});
  expect_error("Metadata-Version: 1.0\nName: pytz\nVersion: 2004d\n", {"pytz", "Version", "\"2004d\""});
}

TEST(Metadata, InvalidRequiresDist) {
  expect_error("Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nRequires-Dist: bar >=\n",
               {"foo 1.0", "Requires-Dist", "\"bar >=\""});
  expect_error("Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nRequires-Dist: ok\nRequires-Dist: bad; os_name ===\n",
               {"Requires-Dist", "\"bad; os_name ===\""});
  expect_error("Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nRequires-Dist:\n", {"Requires-Dist", "\"\""});
  // A folded requirement keeps its line break, which PEP 508 does not allow (packaging agrees);
  // the message shows it escaped so it stays on one line.
  expect_error("Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nRequires-Dist: bar\n  >=1.0\n",
               {"Requires-Dist", "\"bar\\n>=1.0\""});
}

TEST(Metadata, RequiresPython) {
  auto rp = [](std::string_view value) {
    return CoreMetadata::parse("Metadata-Version: 1.2\nName: x\nVersion: 1\nRequires-Python: " + std::string(value) +
                               "\n")
        .requires_python;
  };
  EXPECT_EQ(rp(">=3").str(), ">=3");
  EXPECT_EQ(rp(">2.6,!=3.0.*,!=3.1.*").str(), "!=3.0.*,!=3.1.*,>2.6");
  EXPECT_EQ(rp(">= 2.7, != 3.0.*").str(), "!=3.0.*,>=2.7");  // packaging 23.0 accepts the spaces
  EXPECT_EQ(rp("~=3.6").str(), "~=3.6");
  EXPECT_TRUE(rp("").empty());
  EXPECT_TRUE(rp(">=3.8").contains(Version::parse("3.11")));
  EXPECT_FALSE(rp(">=3.8").contains(Version::parse("3.7")));
  // packaging 23.0 rejects these legacy spellings, and so do we.
  expect_error("Metadata-Version: 1.2\nName: x\nVersion: 1\nRequires-Python: >=3.6.*\n",
               {"x 1", "Requires-Python", "\">=3.6.*\""});
  expect_error("Metadata-Version: 1.2\nName: x\nVersion: 1\nRequires-Python: 3.6\n", {"Requires-Python", "\"3.6\""});
}

TEST(Metadata, ProvidesExtraIsNormalisedDeduplicatedAndOrdered) {
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 2.3\nName: x\nVersion: 1\nProvides-Extra: Test\nProvides-Extra: socks\n"
      "Provides-Extra: Foo.Bar__baz\nProvides-Extra: test\nProvides-Extra: foo-bar-baz\nProvides-Extra: A\n");
  EXPECT_EQ(md.provides_extra, (std::vector<std::string>{"test", "socks", "foo-bar-baz", "a"}));
  // The raw values stay available as written.
  EXPECT_EQ(md.all("provides-extra").size(), 6u);
  EXPECT_EQ(md.all("provides-extra")[2], "Foo.Bar__baz");
}

TEST(Metadata, DynamicAndStaticDependencies) {
  const std::string head = "Name: x\nVersion: 1\n";
  CoreMetadata md = CoreMetadata::parse("Metadata-Version: 2.2\n" + head + "Dynamic: Requires-Dist\nDynamic: LICENSE\n");
  EXPECT_EQ(md.dynamic, (std::vector<std::string>{"requires-dist", "license"}));
  EXPECT_TRUE(md.is_dynamic("Requires-Dist"));
  EXPECT_TRUE(md.is_dynamic("requires-dist"));
  EXPECT_TRUE(md.is_dynamic("License"));
  EXPECT_FALSE(md.is_dynamic("Requires-Python"));
  EXPECT_FALSE(md.dependencies_are_static());

  EXPECT_FALSE(
      CoreMetadata::parse("Metadata-Version: 2.4\n" + head + "Dynamic: requires-python\n").dependencies_are_static());
  EXPECT_TRUE(CoreMetadata::parse("Metadata-Version: 2.2\n" + head + "Dynamic: Classifier\n").dependencies_are_static());
  EXPECT_TRUE(CoreMetadata::parse("Metadata-Version: 2.4\n" + head).dependencies_are_static());
  // Compared as versions: 2.10 > 2.2, 2.1 < 2.2, 2.2.0 == 2.2.
  EXPECT_TRUE(CoreMetadata::parse("Metadata-Version: 2.10\n" + head).dependencies_are_static());
  EXPECT_TRUE(CoreMetadata::parse("Metadata-Version: 2.2.0\n" + head).dependencies_are_static());
  EXPECT_FALSE(CoreMetadata::parse("Metadata-Version: 2.1\n" + head).dependencies_are_static());
  EXPECT_FALSE(CoreMetadata::parse("Metadata-Version: 1.2\n" + head).dependencies_are_static());
  EXPECT_FALSE(CoreMetadata::parse("Metadata-Version: two\n" + head).dependencies_are_static());
}

TEST(Metadata, RequiresAndProvidesOfMetadata11StayInFields) {
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 1.1\nName: x\nVersion: 1\nRequires: re\nRequires: xml.parsers.expat (>1.0)\n"
      "Provides: xml\nObsoletes: Gorgon\n");
  EXPECT_TRUE(md.requires_dist.empty());
  EXPECT_EQ(md.all("Requires"), (std::vector<std::string_view>{"re", "xml.parsers.expat (>1.0)"}));
  EXPECT_EQ(md.all("Provides"), (std::vector<std::string_view>{"xml"}));
}

TEST(Metadata, DescriptionFromBody) {
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 2.1\r\nName: x\r\nVersion: 1\r\nDescription-Content-Type: text/markdown\r\n\r\n"
      "# x\r\n\r\n    code: here\r\nName: not-a-field\r\n");
  EXPECT_EQ(md.description, "# x\n\n    code: here\nName: not-a-field\n");
  EXPECT_EQ(md.name, "x");
  EXPECT_EQ(md.fields.size(), 4u);  // the body is not in fields
  EXPECT_TRUE(md.all("Description").empty());
}

TEST(Metadata, DescriptionFromFoldedField) {
  // setuptools folds Description with 8 spaces; reading it back dedents the continuation lines.
  CoreMetadata md = CoreMetadata::parse(
      "Metadata-Version: 1.1\nName: x\nVersion: 1\nDescription: Title\n        =====\n        \n"
      "        Example::\n        \n            >>> 1 + 1\n            2\n        \nPlatform: UNKNOWN\n");
  EXPECT_EQ(md.description, "Title\n=====\n\nExample::\n\n    >>> 1 + 1\n    2");
  EXPECT_EQ(md.all("Description")[0], "Title\n=====\n\nExample::\n\n>>> 1 + 1\n2");
  EXPECT_EQ(md.all("Platform"), (std::vector<std::string_view>{"UNKNOWN"}));
}

TEST(Metadata, BodyWinsOverDescriptionField) {
  CoreMetadata md = CoreMetadata::parse("Name: x\nVersion: 1\nDescription: short\n\nlong\n");
  EXPECT_EQ(md.description, "long\n");
  CoreMetadata blank = CoreMetadata::parse("Name: x\nVersion: 1\nDescription: short\n\n  \n");
  EXPECT_EQ(blank.description, "short");
}

}  // namespace
}  // namespace thoth
