#include "advise_testing.hpp"

#include <unistd.h>

#include <fstream>

namespace thoth::testing {

const Target& target() {
  static const Target t = test_target();
  return t;
}

const ResolveOptions& options() {
  static const ResolveOptions o = test_options();
  return o;
}

const std::vector<Candidate>& KeepingSource::candidates(std::string_view name) {
  auto it = candidates_.find(name);
  if (it == candidates_.end()) it = candidates_.emplace(std::string(name), inner_.candidates(name)).first;
  return it->second;
}

std::shared_ptr<const CoreMetadata> KeepingSource::metadata(const Candidate& candidate, const DistFile& file) {
  std::shared_ptr<const CoreMetadata>& kept = metadata_[candidate.name + " " + candidate.version.str()];
  if (!kept) kept = inner_.metadata(candidate, file);
  return kept;
}

std::string kb_text(const std::vector<std::string>& facts) {
  std::string out = R"({"kb-version": 1, "facts": [)";
  for (std::size_t i = 0; i < facts.size(); ++i) out += (i ? ", " : "") + facts[i];
  return out + "]}";
}

KnowledgeBase kb_of(const std::vector<std::string>& facts) { return parse_knowledge_base(kb_text(facts), "kb.json"); }

ResolverCallbacks callbacks(MemorySource& source, const std::vector<std::string>& roots,
                            const std::vector<std::string>& constraints, const ResolveOptions& o) {
  std::vector<RootRequirement> labelled;
  for (Requirement& r : reqs(roots)) labelled.push_back({std::move(r), ""});
  // The callbacks keep the source alive, and go before it.
  struct Owned {
    explicit Owned(MemorySource& s) : source(s) {}
    KeepingSource source;
    ResolverCallbacks callbacks;
  };
  auto owned = std::make_shared<Owned>(source);
  owned->callbacks = resolver_callbacks(owned->source, o, std::move(labelled), reqs(constraints));
  return {[owned](const Policy& policy) { return owned->callbacks.resolve(policy); },
          [owned](std::string_view name) { return owned->callbacks.versions(name); }};
}

SearchOptions iterations(std::size_t n, std::uint64_t seed, SearchMethod method) {
  SearchOptions o;
  o.iterations = n;
  o.time = std::chrono::milliseconds(0);
  o.seed = seed;
  o.method = method;
  return o;
}

Advice advise_on(MemorySource& source, const std::vector<std::string>& roots, const KnowledgeBase& kb,
                 Recommendation r, const SearchOptions& options) {
  ResolverCallbacks c = callbacks(source, roots);
  return advise(c.resolve, c.versions, kb, r, options);
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "thoth-advise-XXXXXX").string();
  path_ = mkdtemp(tmpl.data());
}

TempDir::~TempDir() { std::filesystem::remove_all(path_); }

std::filesystem::path TempDir::write(const std::string& name, const std::string& bytes) const {
  std::filesystem::path p = path_ / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

}  // namespace thoth::testing
