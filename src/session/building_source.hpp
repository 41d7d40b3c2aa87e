// The session's package source: the indexes' (thoth/index.hpp build_source), with the versions whose
// dependencies only a build can tell (NeedsBuildError: an sdist without static PKG-INFO dependencies,
// PEP 643) handed to a builder, as pip prepares an sdist's metadata during resolution. The resolver
// reads it like any PackageSource and knows nothing of building (DESIGN.md).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "thoth/index.hpp"

namespace thoth::session_detail {

class BuildingSource final : public PackageSource {
 public:
  // Called with a candidate and the file that needs a build, and the inner source's error. Returns the
  // metadata, or nullptr when it does not build (the error then goes to the resolver as it is); throws
  // NeedsBuildError with build_failed() for a build that failed, or any error that must stop the run.
  using Builder = std::function<std::shared_ptr<const CoreMetadata>(const Candidate&, const DistFile&,
                                                                    const NeedsBuildError&)>;

  BuildingSource(std::unique_ptr<PackageSource> inner, Builder builder)
      : inner_(std::move(inner)), builder_(std::move(builder)) {}

  const std::vector<Candidate>& candidates(std::string_view name) override { return inner_->candidates(name); }
  // The inner source's metadata; for a file that needs a build, the builder's answer, kept: a file is
  // built (or fails) once per run, however often the resolver and the lock writers ask.
  std::shared_ptr<const CoreMetadata> metadata(const Candidate& candidate, const DistFile& file) override;
  void prefetch_candidates(std::string_view name) override { inner_->prefetch_candidates(name); }
  void prefetch_metadata(const Candidate& candidate, const DistFile& file) override {
    inner_->prefetch_metadata(candidate, file);
  }
  std::vector<std::string> take_warnings() override { return inner_->take_warnings(); }

 private:
  struct Built {
    std::shared_ptr<const CoreMetadata> metadata;  // null: the build failed
    std::string failure;                           // why
  };

  std::unique_ptr<PackageSource> inner_;
  Builder builder_;
  std::map<std::string, Built> built_;  // by file URL
};

}  // namespace thoth::session_detail
