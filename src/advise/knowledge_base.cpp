// The knowledge base in memory: facts in load order, indexed by normalised project name.
#include <array>

#include "advise/names.hpp"
#include "thoth/knowledge_base.hpp"

namespace thoth {
namespace {

constexpr std::array<std::string_view, 5> kKindNames = {"security", "broken", "install-failure", "performance",
                                                        "other"};

}  // namespace

std::string_view fact_kind_name(FactKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

std::optional<FactKind> fact_kind_from_name(std::string_view name) {
  return advisor::enum_from_name<FactKind>(kKindNames, name);
}

bool Fact::holds_on(const MarkerEnv& env) const {
  if (!marker) return true;
  try {
    return marker->evaluate(env);
  } catch (const RequirementError& e) {
    throw AdviseError(where() + ": marker cannot be evaluated on the target: " + e.what());
  }
}

std::string Fact::where() const {
  if (origin.empty()) return package;
  return origin + " facts[" + std::to_string(index) + "] (" + package + ")";
}

void KnowledgeBase::add(Fact fact) {
  if (fact.name.empty()) fact.name = normalize_name(fact.package);
  facts_.push_back(std::move(fact));
  const Fact& stored = facts_.back();
  by_name_[stored.name].push_back(&stored);
}

void KnowledgeBase::merge(KnowledgeBase&& other) {
  for (Fact& f : other.facts_) add(std::move(f));
  other.facts_.clear();
  other.by_name_.clear();
}

std::span<const Fact* const> KnowledgeBase::facts_for(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return {};
  return it->second;
}

}  // namespace thoth
