// The header/body split, checked case by case against Python's email.message_from_string
// (compat32), the parser pip and packaging use for METADATA and PKG-INFO.
#include "metadata/rfc822.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace thoth::metadata_detail {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields fields_of(const RawMessage& m) {
  Fields out;
  for (const auto& f : m.fields) out.emplace_back(std::string(f.name), f.value);
  return out;
}

TEST(Rfc822, SimpleFieldsAndBody) {
  RawMessage m = split_message("Name: a\nVersion: 1.0\n\nHello\nworld\n");
  EXPECT_EQ(fields_of(m), (Fields{{"Name", "a"}, {"Version", "1.0"}}));
  EXPECT_EQ(m.body, "Hello\nworld\n");
}

TEST(Rfc822, ValuesAreTrimmedAndMayBeEmpty) {
  RawMessage m = split_message("Name:a\nSummary:\nVersion:   1   \n");
  EXPECT_EQ(fields_of(m), (Fields{{"Name", "a"}, {"Summary", ""}, {"Version", "1"}}));
  EXPECT_EQ(m.body, "");
}

TEST(Rfc822, ContinuationLinesJoinWithNewline) {
  RawMessage m = split_message("License: MIT\n   more text\n\tand a tab line\nName: x\n");
  ASSERT_EQ(m.fields.size(), 2u);
  EXPECT_EQ(m.fields[0].value, "MIT\nmore text\nand a tab line");
  EXPECT_EQ(m.fields[0].source, " MIT\n   more text\n\tand a tab line");
  EXPECT_EQ(m.fields[1].value, "x");
}

TEST(Rfc822, ContinuationAfterEmptyFirstLine) {
  RawMessage m = split_message("Keywords:\n  a b\n  c\n");
  ASSERT_EQ(m.fields.size(), 1u);
  EXPECT_EQ(m.fields[0].value, "a b\nc");
}

TEST(Rfc822, WhitespaceOnlyLineIsAContinuationNotTheSeparator) {
  // Python: [('Name', 'a\n   '), ('Version', '1')], payload 'body'
  RawMessage m = split_message("Name: a\n   \nVersion: 1\n\nbody");
  EXPECT_EQ(fields_of(m), (Fields{{"Name", "a"}, {"Version", "1"}}));
  EXPECT_EQ(m.body, "body");
}

TEST(Rfc822, CrlfAndLoneCrAreLineBreaks) {
  RawMessage m = split_message("Name: a\r\nLicense: MIT\r\n   more  \r\n\r\nbody\r\nline2\r\n");
  EXPECT_EQ(fields_of(m), (Fields{{"Name", "a"}, {"License", "MIT\nmore"}}));
  EXPECT_EQ(m.body, "body\nline2\n");

  RawMessage cr = split_message("Name: a\rVersion: 1\r\rbody");
  EXPECT_EQ(fields_of(cr), (Fields{{"Name", "a"}, {"Version", "1"}}));
  EXPECT_EQ(cr.body, "body");
}

TEST(Rfc822, MissingTrailingNewlineAndNoBody) {
  EXPECT_EQ(fields_of(split_message("Name: a\nVersion: 1")), (Fields{{"Name", "a"}, {"Version", "1"}}));
  RawMessage m = split_message("Name: a\nVersion: 1\n\n");
  EXPECT_EQ(m.fields.size(), 2u);
  EXPECT_EQ(m.body, "");
  EXPECT_TRUE(split_message("").fields.empty());
}

TEST(Rfc822, ByteOrderMarkIsIgnored) {
  // Python's parser would treat the BOM as part of a non-header line; we strip it first.
  RawMessage m = split_message("\xEF\xBB\xBFName: a\nVersion: 1\n");
  EXPECT_EQ(fields_of(m), (Fields{{"Name", "a"}, {"Version", "1"}}));
}

TEST(Rfc822, LineThatIsNotAHeaderStartsTheBody) {
  // Python: MissingHeaderBodySeparatorDefect; the line and all after it become the payload.
  RawMessage m = split_message("Name: a\nbad line\nVersion: 1\n\nbody");
  EXPECT_EQ(fields_of(m), (Fields{{"Name", "a"}}));
  EXPECT_EQ(m.body, "bad line\nVersion: 1\n\nbody");

  // A space before the colon, or a non-ASCII name, is not a field name either.
  EXPECT_EQ(fields_of(split_message("Name: a\nName2 : x\nVersion: 1\n")), (Fields{{"Name", "a"}}));
  EXPECT_EQ(fields_of(split_message("Name: a\nN\xC3\xA4me: x\nVersion: 1\n")), (Fields{{"Name", "a"}}));
}

TEST(Rfc822, EmptyNameAndOrphanContinuationsAreDropped) {
  // Python: [('Name', 'a'), ('Version', '1')] with InvalidHeaderDefect and
  // FirstHeaderLineIsContinuationDefect.
  EXPECT_EQ(fields_of(split_message("Name: a\n:x\n  cont\nVersion: 1\n")), (Fields{{"Name", "a"}, {"Version", "1"}}));
  EXPECT_EQ(fields_of(split_message("  lead\nName: a\nVersion: 1\n")), (Fields{{"Name", "a"}, {"Version", "1"}}));
}

TEST(Rfc822, EnvelopeFromLines) {
  // Python: [('Name', 'a'), ('Version', '1')], payload 'From z\nbody'.
  RawMessage m = split_message("From x\nName: a\nFrom y\nVersion: 1\nFrom z\n\nbody");
  EXPECT_EQ(fields_of(m), (Fields{{"Name", "a"}, {"Version", "1"}}));
  EXPECT_EQ(m.body, "From z\nbody");
  // "From:" is an ordinary field.
  EXPECT_EQ(fields_of(split_message("From: me\n")), (Fields{{"From", "me"}}));
}

TEST(Rfc822, NamesKeepTheirSpellingAndPunctuation) {
  RawMessage m = split_message("metadata-VERSION: 2.1\nX-Weird_Name.1!: v\n");
  EXPECT_EQ(fields_of(m), (Fields{{"metadata-VERSION", "2.1"}, {"X-Weird_Name.1!", "v"}}));
}

TEST(Rfc822, ValueColonsAreKept) {
  RawMessage m = split_message("Classifier: Programming Language :: Python :: 3\n");
  EXPECT_EQ(fields_of(m), (Fields{{"Classifier", "Programming Language :: Python :: 3"}}));
}

TEST(Rfc822, NextLineReportsBreaks) {
  std::size_t pos = 0;
  bool br = false;
  const std::string_view text = "a\r\nb\rc\nd";
  EXPECT_EQ(next_line(text, pos, br), "a");
  EXPECT_TRUE(br);
  EXPECT_EQ(next_line(text, pos, br), "b");
  EXPECT_EQ(next_line(text, pos, br), "c");
  EXPECT_EQ(next_line(text, pos, br), "d");
  EXPECT_FALSE(br);
  EXPECT_EQ(pos, text.size());
}

}  // namespace
}  // namespace thoth::metadata_detail
