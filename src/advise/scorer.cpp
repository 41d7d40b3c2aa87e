// The scoring pipeline put together: which units each recommendation runs, and the scorer that runs
// them over stacks, remembering what it works out per package version.
#include <algorithm>

#include "advise/units.hpp"
#include "thoth/scoring.hpp"

namespace thoth {

Pipeline Pipeline::make(Recommendation r) {
  Pipeline p;
  p.recommendation = r;
  p.sieves.push_back(std::make_unique<advisor::VetoSieve>(r));
  p.steps.push_back(std::make_unique<advisor::FactStep>(r));
  if (r == Recommendation::Stable) p.steps.push_back(std::make_unique<advisor::PrereleaseStep>());
  p.strides.push_back(std::make_unique<advisor::CombinationStride>(r));
  p.wraps.push_back(std::make_unique<advisor::AvoidedWrap>());
  p.wraps.push_back(std::make_unique<advisor::WarningWrap>());
  return p;
}

struct Scorer::StepMemo {
  bool forbidden = false;
  std::vector<const Fact*> conditional;  // with "with" conditions, covering the version, holding
  std::vector<Effect> effects;           // of the steps
  StackScore total;
};

namespace {

void add(StackScore& total, const Effect& e) {
  total.score += e.score;
  if (e.veto) ++total.vetoes;
}

}  // namespace

Scorer::Scorer(const KnowledgeBase& kb, Recommendation r, const Target& target)
    : kb_(kb), pipeline_(Pipeline::make(r)), env_(target.markers) {
  for (const Fact& f : kb_.facts()) {
    if (!f.holds_on(env_)) false_markers_.insert(&f);
    for (const Requirement& condition : f.with) {
      if (!condition.marker) continue;
      try {
        condition.marker->evaluate(env_);
      } catch (const RequirementError& e) {
        throw AdviseError(f.where() + ": a \"with\" marker cannot be evaluated on the target: " + e.what());
      }
    }
  }
}

Scorer::~Scorer() = default;

Scorer::ProjectMemo& Scorer::project(std::string_view name) const {
  auto it = projects_.find(name);
  if (it != projects_.end()) return it->second;
  ProjectMemo p;
  p.facts = kb_.facts_for(name);
  p.sieved = std::any_of(p.facts.begin(), p.facts.end(), [&](const Fact* f) { return sieves(*f); });
  return projects_.emplace(std::string(name), std::move(p)).first->second;
}

bool Scorer::sieves(const Fact& f) const {
  return f.with.empty() && holds(f) &&
         std::any_of(pipeline_.sieves.begin(), pipeline_.sieves.end(), [&](const auto& sieve) { return sieve->drops(f); });
}

const Scorer::StepMemo& Scorer::step_memo(std::string_view name, const Version& version) const {
  // A project the KB does not know is still scored by the steps that read no fact (pre-releases).
  ProjectMemo& p = project(name);
  std::unique_ptr<StepMemo>& memo = p.versions[version];
  if (memo) return *memo;
  memo = std::make_unique<StepMemo>();
  std::vector<const Fact*> plain;
  for (const Fact* f : p.facts) {
    if (!f->covers(version) || !holds(*f)) continue;
    (f->with.empty() ? plain : memo->conditional).push_back(f);
  }
  for (const auto& step : pipeline_.steps) step->score(name, version, plain, memo->effects);
  for (const Effect& e : memo->effects) add(memo->total, e);
  memo->forbidden = std::any_of(plain.begin(), plain.end(), [&](const Fact* f) { return sieves(*f); });
  return *memo;
}

bool Scorer::forbids(std::string_view name, const Version& version) const {
  return project(name).sieved && step_memo(name, version).forbidden;
}

bool Scorer::sieves_anything() const {
  return std::any_of(kb_.facts().begin(), kb_.facts().end(), [&](const Fact& f) { return sieves(f); });
}

StackScore Scorer::step_score(std::string_view name, const Version& version) const {
  return step_memo(name, version).total;
}

std::vector<Effect> Scorer::step_effects(std::string_view name, const Version& version) const {
  return step_memo(name, version).effects;
}

ScoredStack Scorer::score(const Resolution& stack) const {
  ScoredStack out;
  out.pins.resize(stack.pins.size());
  for (std::size_t i = 0; i < stack.pins.size(); ++i) {
    const Pin& pin = stack.pins[i];
    const StepMemo& memo = step_memo(pin.name, pin.version);
    PinScore& ps = out.pins[i];
    ps.effects = memo.effects;
    ps.total = memo.total;
    if (!memo.conditional.empty()) {
      const std::size_t first = ps.effects.size();
      for (const auto& stride : pipeline_.strides) stride->score(stack, pin, memo.conditional, ps.effects);
      for (std::size_t k = first; k < ps.effects.size(); ++k) add(ps.total, ps.effects[k]);
    }
    out.total.score += ps.total.score;
    out.total.vetoes += ps.total.vetoes;
  }
  return out;
}

double Scorer::bound() const {
  if (!bound_) {
    double sum = 0;
    for (const Fact& f : kb_.facts()) {
      const double w = weigh(pipeline_.recommendation, f).score;
      if (w > 0 && holds(f)) sum += w;
    }
    bound_ = sum;
  }
  return *bound_;
}

Justification Scorer::justify(const Resolution& stack, const ScoredStack& scored, const Resolution* locked,
                              const std::vector<std::optional<Version>>* newest) const {
  Justification j;
  j.recommendation = pipeline_.recommendation;
  j.total = scored.total;
  for (std::size_t i = 0; i < stack.pins.size(); ++i) {
    const Pin& pin = stack.pins[i];
    PackageJustification p;
    p.name = pin.name;
    p.display_name = pin.display_name;
    p.version = pin.version;
    if (newest && i < newest->size()) p.newest = (*newest)[i];
    if (locked) {
      if (const Pin* l = locked->find(pin.name)) p.locked = l->version;
    }
    p.score = scored.pins[i];
    j.packages.push_back(std::move(p));
  }
  WrapContext context{stack, scored, *this, locked, newest};
  for (const auto& wrap : pipeline_.wraps) wrap->wrap(context, j);
  return j;
}

}  // namespace thoth
