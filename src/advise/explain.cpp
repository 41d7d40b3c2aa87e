// thoth kb explain NAME==VERSION: the facts a knowledge base holds about one package version.
#include <cstdio>

#include "thoth/knowledge_base.hpp"

namespace thoth {

std::vector<FactMatch> explain(const KnowledgeBase& kb, std::string_view name, const Version& version,
                               const Target* target) {
  std::vector<FactMatch> out;
  for (const Fact* f : kb.facts_for(normalize_name(name))) {
    if (!f->covers(version)) continue;
    FactMatch m{f, std::nullopt};
    if (target && f->marker) m.marker_holds = f->holds_on(target->markers);
    out.push_back(m);
  }
  return out;
}

std::vector<FactMatch> explain(const KnowledgeBase& kb, std::string_view pin, const Target* target) {
  const std::string usage = "expected NAME==VERSION, not \"" + std::string(pin) + "\"";
  Requirement r;
  try {
    r = Requirement::parse(pin);
  } catch (const RequirementError&) {
    throw AdviseError(usage);
  }
  const auto& specs = r.specifier.specifiers();
  if (specs.size() != 1 || specs[0].op() != Specifier::Op::Equal || specs[0].wildcard() || !r.url.empty() ||
      r.marker || !r.extras.empty())
    throw AdviseError(usage);
  return explain(kb, r.name, specs[0].version(), target);
}

std::string format_explanation(std::string_view pin, const std::vector<FactMatch>& matches) {
  if (matches.empty()) return "no facts about " + std::string(pin) + "\n";
  std::string out = std::to_string(matches.size()) + (matches.size() == 1 ? " fact" : " facts") + " about " +
                    std::string(pin) + ":\n";
  for (const FactMatch& m : matches) {
    const Fact& f = *m.fact;
    char score[32];
    std::snprintf(score, sizeof score, "%+g", f.score);
    out += "\n" + std::string(fact_kind_name(f.kind)) + ", score " + score + (f.veto ? ", veto" : "") + "  [" +
           f.where() + "]\n";
    if (!f.message.empty()) out += "  " + f.message + "\n";
    if (!f.versions.empty()) out += "  versions: " + f.versions.str() + "\n";
    if (f.marker) {
      out += "  marker: " + f.marker->str();
      if (m.marker_holds) out += *m.marker_holds ? " (holds on the target)" : " (false on the target: does not apply)";
      out += "\n";
    }
    if (!f.with.empty()) {
      out += "  only with:";
      for (const Requirement& r : f.with) out += " " + r.str();
      out += "\n";
    }
    for (const std::string& id : f.ids) out += "  id: " + id + "\n";
    for (const std::string& link : f.links) out += "  link: " + link + "\n";
  }
  return out;
}

}  // namespace thoth
