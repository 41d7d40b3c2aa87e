// unfold_description, checked against setuptools' rfc822_unescape (first line left-stripped, the
// rest through textwrap.dedent), with trailing whitespace removed.
#include "metadata/description.hpp"

#include <gtest/gtest.h>

namespace thoth::metadata_detail {
namespace {

TEST(Description, SingleLine) { EXPECT_EQ(unfold_description("  just one line  "), "just one line"); }

TEST(Description, DedentKeepsRelativeIndentation) {
  EXPECT_EQ(unfold_description(" Title\n        text\n            indented\n        back"),
            "Title\ntext\n    indented\nback");
}

TEST(Description, WhitespaceOnlyLinesBecomeEmptyAndDoNotSetTheMargin) {
  EXPECT_EQ(unfold_description(" a\n  \n    b\n\t\n    c"), "a\n\nb\n\nc");
}

TEST(Description, TabsAndSpacesAreDifferentMargins) {
  // textwrap.dedent: "\t" and "    " share no prefix, so nothing is removed.
  EXPECT_EQ(unfold_description(" a\n\tb\n    c"), "a\n\tb\n    c");
  EXPECT_EQ(unfold_description(" a\n\t b\n\t  c"), "a\nb\n c");
}

TEST(Description, CrlfSource) { EXPECT_EQ(unfold_description(" a\r\n        b\r\n        "), "a\nb"); }

TEST(Description, Empty) { EXPECT_EQ(unfold_description(""), ""); }

}  // namespace
}  // namespace thoth::metadata_detail
