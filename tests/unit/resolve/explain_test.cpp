// Failure explanations: pub's error-reporting examples (doc/solver.md) with Python names and
// specifiers, checked word for word.
#include <gtest/gtest.h>

#include "memory_source.hpp"

namespace thoth::testing {
namespace {

TEST(Explain, LinearErrorReporting) {
  MemorySource s;
  s.add("foo", "1.0", {"bar>=2.0,<3.0"});
  s.add("bar", "2.0", {"baz>=3.0,<4.0"});
  s.add("baz", "1.0").add("baz", "3.0");
  EXPECT_EQ(explain(s, {"foo>=1.0,<2.0", "baz>=1.0,<2.0"}),
            "Because foo 1.0 depends on bar<3.0,>=2.0 which depends on baz<4.0,>=3.0, foo 1.0 requires "
            "baz<4.0,>=3.0.\n"
            "So, because you require both foo<2.0,>=1.0 and baz<2.0,>=1.0, version solving failed.\n");
}

TEST(Explain, BranchingErrorReporting) {
  MemorySource s;
  s.add("foo", "1.0", {"a>=1.0,<2.0", "b>=1.0,<2.0"});
  s.add("foo", "1.1", {"x>=1.0,<2.0", "y>=1.0,<2.0"});
  s.add("a", "1.0", {"b>=2.0,<3.0"});
  s.add("b", "1.0").add("b", "2.0");
  s.add("x", "1.0", {"y>=2.0,<3.0"});
  s.add("y", "1.0").add("y", "2.0");
  // As in pub's example: the first branch gets a line number, the second refers back to it.
  EXPECT_EQ(explain(s, {"foo>=1.0,<2.0"}),
            "    Because foo 1.0 depends on a<2.0,>=1.0 which depends on b<3.0,>=2.0, foo 1.0 requires "
            "b<3.0,>=2.0.\n"
            "(1) So, because foo 1.0 depends on b<2.0,>=1.0, foo 1.0 is forbidden.\n"
            "\n"
            "    Because foo 1.1 depends on x<2.0,>=1.0 which depends on y<3.0,>=2.0, foo 1.1 requires "
            "y<3.0,>=2.0.\n"
            "    And because foo 1.1 depends on y<2.0,>=1.0, foo 1.1 is forbidden.\n"
            "    And because foo 1.0 is forbidden (1), foo is forbidden.\n"
            "    So, because you require foo<2.0,>=1.0, version solving failed.\n");
}

// pub's "Performing Conflict Resolution" graph, with the root insisting on foo 2.0.
TEST(Explain, ConflictResolutionLearnsTheCause) {
  MemorySource s;
  s.add("foo", "2.0", {"bar>=1.0,<2.0"}).add("foo", "1.0");
  s.add("bar", "1.0", {"foo>=1.0,<2.0"});
  EXPECT_EQ(explain(s, {"foo>=2.0"}),
            "Because foo 2.0 depends on bar<2.0,>=1.0 which depends on foo<2.0,>=1.0, foo 2.0 is forbidden.\n"
            "So, because you require foo>=2.0, version solving failed.\n");
}

// pub's "Conflict Resolution With a Partial Satisfier" graph, with the root insisting on foo 1.1:
// over the known versions, right alone already brings shared 1.0 and with it target 1.x in.
TEST(Explain, PartialSatisfier) {
  MemorySource s;
  s.add("foo", "1.1", {"left>=1.0,<2.0", "right>=1.0,<2.0"}).add("foo", "1.0");
  s.add("left", "1.0", {"shared>=1.0"});
  s.add("right", "1.0", {"shared<2.0"});
  s.add("shared", "2.0").add("shared", "1.0", {"target>=1.0,<2.0"});
  s.add("target", "2.0").add("target", "1.0");
  EXPECT_EQ(explain(s, {"foo>=1.1,<2.0", "target>=2.0,<3.0"}),
            "Because right 1.0 depends on shared<2.0 which depends on target<2.0,>=1.0, right 1.0 requires "
            "target<2.0,>=1.0.\n"
            "And because foo 1.1 depends on right<2.0,>=1.0, foo 1.1 requires target<2.0,>=1.0.\n"
            "So, because you require both foo<2.0,>=1.1 and target<3.0,>=2.0, version solving failed.\n");
}

TEST(Explain, DirectConflict) {
  MemorySource s;
  s.add("a", "2.0", {"b<2"});
  s.add("c", "1.0", {"b>=2"});
  s.add("b", "1.0").add("b", "2.0");
  EXPECT_EQ(explain(s, {"a", "c"}),
            "Because c 1.0 depends on b>=2 and a 2.0 depends on b<2, c 1.0 is incompatible with a 2.0.\n"
            "So, because you require both a and c, version solving failed.\n");
}

}  // namespace
}  // namespace thoth::testing
