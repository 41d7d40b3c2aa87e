// The session's BuildingSource (src/session/building_source.hpp): the inner source's answers pass
// through; a version that needs a build goes to the builder once, its metadata or its failure kept.
#include <gtest/gtest.h>

#include "session/building_source.hpp"

namespace thoth::session_detail {
namespace {

// "a" 1.0 has static metadata; "b" 1.0 needs a build.
class Inner : public PackageSource {
 public:
  const std::vector<Candidate>& candidates(std::string_view) override { return none_; }
  std::shared_ptr<const CoreMetadata> metadata(const Candidate& candidate, const DistFile& file) override {
    ++calls;
    if (candidate.name == "b") throw NeedsBuildError(file.filename + " needs a build");
    auto md = std::make_shared<CoreMetadata>();
    md->name = candidate.name;
    return md;
  }
  std::vector<std::string> take_warnings() override { return {"from the indexes"}; }
  int calls = 0;

 private:
  std::vector<Candidate> none_;
};

Candidate candidate(const std::string& name) {
  Candidate c;
  c.name = name;
  c.version = Version::parse("1.0");
  return c;
}

DistFile sdist(const std::string& name) {
  DistFile f;
  f.kind = DistFile::Kind::Sdist;
  f.filename = name + "-1.0.tar.gz";
  f.url = "https://example.invalid/" + f.filename;
  return f;
}

struct Fixture {
  Inner* inner = nullptr;
  int builds = 0;
  std::unique_ptr<BuildingSource> source;

  explicit Fixture(std::function<std::shared_ptr<const CoreMetadata>()> answer) {
    auto owned = std::make_unique<Inner>();
    inner = owned.get();
    source = std::make_unique<BuildingSource>(
        std::move(owned), [this, answer](const Candidate&, const DistFile&, const NeedsBuildError& e) {
          ++builds;
          EXPECT_FALSE(e.build_failed());
          return answer();
        });
  }
};

TEST(BuildingSource, StaticMetadataPassesThrough) {
  Fixture f([] { return std::make_shared<CoreMetadata>(); });
  EXPECT_EQ(f.source->metadata(candidate("a"), sdist("a"))->name, "a");
  EXPECT_EQ(f.builds, 0);
  EXPECT_EQ(f.source->take_warnings(), std::vector<std::string>{"from the indexes"});
}

TEST(BuildingSource, ABuildIsAskedForOnceAndItsMetadataKept) {
  Fixture f([] {
    auto md = std::make_shared<CoreMetadata>();
    md->name = "built";
    return md;
  });
  auto first = f.source->metadata(candidate("b"), sdist("b"));
  auto second = f.source->metadata(candidate("b"), sdist("b"));
  EXPECT_EQ(first->name, "built");
  EXPECT_EQ(first, second);  // the same object, as PackageSource promises
  EXPECT_EQ(f.builds, 1);
}

TEST(BuildingSource, NoBuildLeavesTheInnerError) {
  Fixture f([] { return std::shared_ptr<const CoreMetadata>(); });
  try {
    f.source->metadata(candidate("b"), sdist("b"));
    FAIL() << "no error";
  } catch (const NeedsBuildError& e) {
    EXPECT_FALSE(e.build_failed());
    EXPECT_STREQ(e.what(), "b-1.0.tar.gz needs a build");
  }
}

TEST(BuildingSource, AFailedBuildIsKeptAndNotRetried) {
  Fixture f([]() -> std::shared_ptr<const CoreMetadata> { throw NeedsBuildError("b 1.0: the build broke", true); });
  for (int i = 0; i < 2; ++i) {
    try {
      f.source->metadata(candidate("b"), sdist("b"));
      FAIL() << "no error";
    } catch (const NeedsBuildError& e) {
      EXPECT_TRUE(e.build_failed());
      EXPECT_STREQ(e.what(), "b 1.0: the build broke");
    }
  }
  EXPECT_EQ(f.builds, 1);
  EXPECT_EQ(f.inner->calls, 1);
}

}  // namespace
}  // namespace thoth::session_detail
