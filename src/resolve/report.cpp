// pub's error reporting (doc/solver.md "Error Reporting"), with phrasing for Python projects.
#include "resolve/report.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace thoth::resolve {
namespace {

std::string describe_versions(const Package& pkg, const VersionSet& versions) {
  // Runs of consecutive known versions, oldest first. Bounds are the run's first version and the
  // next known version after it, so a run spanning all the oldest (newest) versions has no lower
  // (upper) bound, as pub writes ranges.
  std::size_t n = pkg.versions;
  auto version = [&](std::size_t k) { return pkg.project->candidates[n - 1 - k].version.str(); };
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < n;) {
    if (!versions.test(n - 1 - k)) {
      ++k;
      continue;
    }
    std::size_t end = k;
    while (end + 1 < n && versions.test(n - 2 - end)) ++end;
    if (end == k) {
      parts.push_back(version(k));
    } else {
      std::string range;
      if (k > 0) range = ">=" + version(k);
      if (end + 1 < n) range += (range.empty() ? "<" : ",<") + version(end + 1);
      parts.push_back(range);
    }
    k = end + 1;
  }
  std::string out = pkg.name;
  if (parts.size() == 1 && (parts[0][0] == '<' || parts[0][0] == '>')) return out + parts[0];
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " | " : " ") + parts[i];
  return out;
}

class Writer {
 public:
  Writer(const Solver& s, IncompatId root) : s_(s), root_(root) { count(root); }

  std::string write() {
    const Incompat& r = s_.incompat(root_);
    if (r.cause == Cause::Derived) {
      visit(root_, false);
    } else {
      emit(root_, "Because " + str(root_) + ", version solving failed.", false);
    }
    std::size_t pad = 0;
    if (!numbers_.empty()) pad = ("(" + std::to_string(numbers_.size()) + ") ").size();
    std::string out;
    bool last_blank = false;
    for (const auto& [text, number] : lines_) {
      if (text.empty()) {
        if (!last_blank) out += "\n";
        last_blank = true;
        continue;
      }
      last_blank = false;
      std::string prefix = number ? "(" + std::to_string(number) + ")" : "";
      prefix.resize(pad, ' ');
      out += prefix + text + "\n";
    }
    return out;
  }

 private:
  bool derived(IncompatId id) const { return s_.incompat(id).cause == Cause::Derived; }

  void count(IncompatId id) {
    // How many derivations each incompatibility feeds: those used twice get a line number.
    std::vector<IncompatId> todo{id};
    while (!todo.empty()) {
      IncompatId i = todo.back();
      todo.pop_back();
      if (uses_[i]++ > 0) continue;
      const Incompat& inc = s_.incompat(i);
      if (inc.cause == Cause::Derived) {
        todo.push_back(inc.cause2);
        todo.push_back(inc.cause1);
      }
    }
  }

  std::string terse(const Term& t, bool every = false) const { return describe_term(s_, t, every); }

  // "foo 1.0 depends on" / "you require"
  std::string depends(const Term& depender) const {
    if (depender.pkg == kRoot) return "you require";
    return terse(depender, true) + " depends on";
  }

  std::string missing(std::uint32_t note) const {
    const Missing& m = s_.missing(note);
    const Package& pkg = s_.package(m.pkg);
    std::string target = pkg.name + s_.text(m.text);
    switch (m.kind) {
      case Missing::NoProject:
        return target + ", which does not exist";
      case Missing::NotDirect:
        return target + ", which is not among the direct URL candidates";
      case Missing::Self:
        return target + ", which excludes itself";
      case Missing::NoMatch:
        break;
    }
    if (pkg.project && pkg.project->direct) {
      std::string versions;
      for (const Candidate& c : pkg.project->candidates) versions += (versions.empty() ? "" : ", ") + c.version.str();
      return target + ", which the direct URL requirement on " + pkg.name + " (version " + versions +
             ") does not satisfy";
    }
    return target + ", which matches no version of " + pkg.name;
  }

  // How many versions a phrase is about: one ("foo 2.0 was yanked"), all of them ("every version of
  // foo is a pre-release"), several ("foo>=2.0 were yanked"), or a requirement that matches only
  // such versions ("you require foo>=2 which matches only yanked versions").
  enum class Form : std::uint8_t { One, Every, Many, Matches };

  Form form_of(const Term& t) const {
    std::size_t n = term_versions(t).count();
    if (n == 1) return Form::One;
    return n == s_.package(t.pkg).versions ? Form::Every : Form::Many;
  }

  static std::string predicate(const Reason& r, Form f) {
    bool many = f == Form::Many;
    std::string why;
    switch (r.why) {
      case Why::RequiresPython:
        return (many ? "require Python " : "requires Python ") + r.detail;
      case Why::NoFile:
        return (many ? "have no usable file (" : "has no usable file (") + r.detail + ")";
      case Why::Yanked:
        why = r.detail.empty() ? "" : " (reason: " + r.detail + ")";
        if (f == Form::Matches) return "matches only yanked versions" + why;
        return (many ? "were yanked" : "was yanked") + why;
      case Why::PreRelease:
        if (f == Form::Matches) return "matches only pre-releases";
        return many ? "are pre-releases" : "is a pre-release";
      case Why::Forbidden:
        if (f == Form::Matches) return "matches only versions forbidden by the policy";
        return many ? "are forbidden by the policy" : "is forbidden by the policy";
      case Why::Rejected:
        if (f == Form::Matches) return "matches only versions declined by the policy";
        return many ? "were declined by the policy" : "was declined by the policy";
      case Why::Metadata:
        return "cannot be used: " + r.detail;
      case Why::NeedsBuild:
        return many ? "need a build to know their dependencies" : "needs a build to know its dependencies";
      case Why::BuildFailed:
        return many ? "cannot be built to know their dependencies" : "cannot be built to know its dependencies";
    }
    return "cannot be used";
  }

  // What a single-term incompatibility says about its term.
  std::string which(const Incompat& i, Form f) const {
    switch (i.cause) {
      case Cause::Unavailable:
        return predicate(s_.reason(i.note), f);
      case Cause::Constraint:
        return (f == Form::Many ? "are excluded by the constraint " : "is excluded by the constraint ") +
               s_.text(i.note);
      case Cause::Dependency:
        if (i.note != kNone) return "depends on " + missing(i.note);
        break;
      case Cause::Root:
      case Cause::Derived:
        break;
    }
    return f == Form::Many ? "are forbidden" : "is forbidden";
  }

  static bool failure(const Incompat& i) {
    return i.terms.empty() || (i.terms.size() == 1 && i.terms[0].pkg == kRoot && i.terms[0].positive());
  }

  std::string str(IncompatId id) const {
    const Incompat& i = s_.incompat(id);
    switch (i.cause) {
      case Cause::Root:
        return "the requirements are to be installed";
      case Cause::Dependency:
        if (i.note != kNone) return depends(i.terms[0]) + " " + missing(i.note);
        return depends(i.terms[0]) + " " + terse(i.terms[1]);
      case Cause::Unavailable:
      case Cause::Constraint:
        return terse(i.terms[0], true) + " " + which(i, form_of(i.terms[0]));
      case Cause::Derived:
        break;
    }
    if (failure(i)) return "version solving failed";
    const std::vector<Term>& terms = i.terms;
    if (terms.size() == 1) return terse(terms[0]) + (terms[0].positive() ? " is forbidden" : " is required");
    if (terms.size() == 2 && terms[0].positive() == terms[1].positive()) {
      if (terms[0].positive()) return terse(terms[0]) + " is incompatible with " + terse(terms[1]);
      return "either " + terse(terms[0]) + " or " + terse(terms[1]);
    }
    std::vector<std::string> pos, neg;
    const Term* first_pos = nullptr;
    for (const Term& t : terms) {
      if (t.positive()) {
        if (!first_pos) first_pos = &t;
        pos.push_back(terse(t));
      } else {
        neg.push_back(terse(t));
      }
    }
    if (!pos.empty() && !neg.empty()) {
      if (pos.size() == 1) return terse(*first_pos, true) + " requires " + join(neg, " or ");
      return "if " + join(pos, " and ") + " then " + join(neg, " or ");
    }
    if (!pos.empty()) return "one of " + join(pos, " or ") + " must be false";
    return "one of " + join(neg, " or ") + " must be true";
  }

  static std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (std::size_t k = 0; k < parts.size(); ++k) out += (k ? sep : "") + parts[k];
    return out;
  }

  static std::string line_ref(int line) { return line ? " (" + std::to_string(line) + ")" : ""; }

  static const Term* single(const Incompat& i, bool positive) {
    const Term* found = nullptr;
    for (const Term& t : i.terms) {
      if (t.positive() != positive) continue;
      if (found) return nullptr;
      found = &t;
    }
    return found;
  }

  std::string negatives(const Incompat& i) const {
    std::vector<std::string> parts;
    for (const Term& t : i.terms) {
      if (!t.positive()) parts.push_back(terse(t));
    }
    return join(parts, " or ");
  }

  // "X depends on both A and B"
  std::string requires_both(IncompatId a, IncompatId b, int la, int lb) const {
    const Incompat& x = s_.incompat(a);
    const Incompat& y = s_.incompat(b);
    if (x.terms.size() == 1 || y.terms.size() == 1) return "";
    const Term* px = single(x, true);
    const Term* py = single(y, true);
    if (!px || !py || px->pkg != py->pkg || !(px->set == py->set)) return "";
    bool dependency = x.cause == Cause::Dependency && y.cause == Cause::Dependency;
    std::string head = dependency ? depends(*px) : terse(*px, true) + " requires";
    return head + " both " + negatives(x) + line_ref(la) + " and " + negatives(y) + line_ref(lb);
  }

  // "X depends on A which depends on B"
  std::string requires_through(IncompatId a, IncompatId b, int la, int lb) const {
    const Incompat& x = s_.incompat(a);
    const Incompat& y = s_.incompat(b);
    if (x.terms.size() == 1 || y.terms.size() == 1) return "";
    const Term* nx = single(x, false);
    const Term* ny = single(y, false);
    const Term* px = single(x, true);
    const Term* py = single(y, true);
    const Incompat* prior;
    const Incompat* latter;
    const Term* prior_negative;
    int prior_line, latter_line;
    if (nx && py && nx->pkg == py->pkg && term_versions(*nx).subset_of(py->set)) {
      prior = &x, latter = &y, prior_negative = nx, prior_line = la, latter_line = lb;
    } else if (ny && px && ny->pkg == px->pkg && term_versions(*ny).subset_of(px->set)) {
      prior = &y, latter = &x, prior_negative = ny, prior_line = lb, latter_line = la;
    } else {
      return "";
    }
    std::string out = head(*prior) + " " + terse(*prior_negative) + line_ref(prior_line) + " which " +
                      (latter->cause == Cause::Dependency ? "depends on " : "requires ") + negatives(*latter) +
                      line_ref(latter_line);
    return out;
  }

  // "X depends on A" / "X requires A" / "if X and Y then A"
  std::string head(const Incompat& prior) const {
    std::vector<const Term*> pos;
    for (const Term& t : prior.terms) {
      if (t.positive()) pos.push_back(&t);
    }
    if (pos.size() > 1) {
      std::vector<std::string> parts;
      for (const Term* t : pos) parts.push_back(terse(*t));
      return "if " + join(parts, " and ") + " then";
    }
    if (prior.cause == Cause::Dependency) return depends(*pos[0]);
    return terse(*pos[0], true) + " requires";
  }

  // "X depends on A which requires Python >=3.12"
  std::string requires_forbidden(IncompatId a, IncompatId b, int la, int lb) const {
    const Incompat& x = s_.incompat(a);
    const Incompat& y = s_.incompat(b);
    if (x.terms.size() != 1 && y.terms.size() != 1) return "";
    bool y_latter = y.terms.size() == 1;
    const Incompat& prior = y_latter ? x : y;
    const Incompat& latter = y_latter ? y : x;
    int prior_line = y_latter ? la : lb;
    int latter_line = y_latter ? lb : la;
    if (prior.terms.size() == 1) return "";
    const Term* negative = single(prior, false);
    bool has_positive = std::any_of(prior.terms.begin(), prior.terms.end(), [](const Term& t) { return t.positive(); });
    if (!negative || !has_positive) return "";
    const Term& forbidden = latter.terms[0];
    if (negative->pkg != forbidden.pkg || !term_versions(*negative).subset_of(forbidden.set)) return "";
    // The prior's own term (as the user wrote it) is within the forbidden set, so the predicate holds
    // for it; naming it reads better than pub's naming of the forbidden set.
    Form f = form_of(*negative) == Form::One ? Form::One : Form::Matches;
    return head(prior) + " " + terse(*negative) + line_ref(prior_line) + " which " + which(latter, f) +
           line_ref(latter_line);
  }

  std::string and_str(IncompatId a, IncompatId b, int la = 0, int lb = 0) const {
    std::string s = requires_both(a, b, la, lb);
    if (s.empty()) s = requires_through(a, b, la, lb);
    if (s.empty()) s = requires_forbidden(a, b, la, lb);
    if (s.empty()) {
      std::string left = str(a) + line_ref(la);
      // After a "which ..." clause a bare "and" would seem to continue it.
      s = left + (left.find(", which ") != std::string::npos ? ", and " : " and ") + str(b) + line_ref(lb);
    }
    return s;
  }

  void emit(IncompatId id, std::string text, bool numbered) {
    int number = 0;
    if (numbered) {
      number = static_cast<int>(numbers_.size()) + 1;
      numbers_[id] = number;
    }
    lines_.emplace_back(std::move(text), number);
  }

  int line_of(IncompatId id) const {
    auto it = numbers_.find(id);
    return it == numbers_.end() ? 0 : it->second;
  }

  bool both_external(IncompatId id) const {
    const Incompat& i = s_.incompat(id);
    return !derived(i.cause1) && !derived(i.cause2);
  }

  bool collapsible(IncompatId id) const {
    if (uses_.at(id) > 1) return false;
    const Incompat& i = s_.incompat(id);
    bool d1 = derived(i.cause1), d2 = derived(i.cause2);
    if (d1 == d2) return false;
    return line_of(d1 ? i.cause1 : i.cause2) == 0;
  }

  // solver.md "Error Reporting", steps 1-3.
  void visit(IncompatId id, bool conclusion) {
    bool numbered = conclusion || uses_.at(id) > 1;
    std::string conjunction = conclusion || id == root_ ? "So," : "And";
    std::string text = str(id);
    const Incompat& inc = s_.incompat(id);
    IncompatId c1 = inc.cause1, c2 = inc.cause2;

    if (derived(c1) && derived(c2)) {
      int l1 = line_of(c1), l2 = line_of(c2);
      if (l1 && l2) {
        emit(id, "Because " + and_str(c1, c2, l1, l2) + ", " + text + ".", numbered);
      } else if (l1 || l2) {
        IncompatId with = l1 ? c1 : c2;
        IncompatId without = l1 ? c2 : c1;
        visit(without, false);
        emit(id, conjunction + " because " + str(with) + line_ref(line_of(with)) + ", " + text + ".",
             numbered);
      } else {
        bool simple1 = both_external(c1), simple2 = both_external(c2);
        if (simple1 || simple2) {
          IncompatId first = simple2 ? c1 : c2;
          IncompatId second = simple2 ? c2 : c1;
          visit(first, false);
          visit(second, false);
          emit(id, "Thus, " + text + ".", numbered);
        } else {
          visit(c1, true);
          lines_.emplace_back("", 0);
          visit(c2, false);
          emit(id, conjunction + " because " + str(c1) + line_ref(line_of(c1)) + ", " + text + ".", numbered);
        }
      }
    } else if (derived(c1) || derived(c2)) {
      IncompatId der = derived(c1) ? c1 : c2;
      IncompatId ext = derived(c1) ? c2 : c1;
      int line = line_of(der);
      if (line) {
        emit(id, "Because " + and_str(ext, der, 0, line) + ", " + text + ".", numbered);
      } else if (collapsible(der)) {
        const Incompat& d = s_.incompat(der);
        IncompatId prior_derived = derived(d.cause1) ? d.cause1 : d.cause2;
        IncompatId prior_external = derived(d.cause1) ? d.cause2 : d.cause1;
        visit(prior_derived, false);
        emit(id, conjunction + " because " + and_str(prior_external, ext) + ", " + text + ".", numbered);
      } else {
        visit(der, false);
        emit(id, conjunction + " because " + str(ext) + ", " + text + ".", numbered);
      }
    } else {
      emit(id, "Because " + and_str(c1, c2) + ", " + text + ".", numbered);
    }
  }

  const Solver& s_;
  IncompatId root_;
  std::map<IncompatId, int> uses_;
  std::map<IncompatId, int> numbers_;
  std::vector<std::pair<std::string, int>> lines_;
};

// External incompatibilities of the derivation graph, causes in order, each once.
std::vector<IncompatId> externals(const Solver& s, IncompatId root) {
  std::vector<IncompatId> out;
  std::set<IncompatId> seen;
  std::vector<IncompatId> todo{root};
  while (!todo.empty()) {
    IncompatId id = todo.back();
    todo.pop_back();
    if (!seen.insert(id).second) continue;
    const Incompat& i = s.incompat(id);
    if (i.cause == Cause::Derived) {
      todo.push_back(i.cause2);
      todo.push_back(i.cause1);
    } else {
      out.push_back(id);
    }
  }
  return out;
}

std::vector<std::string> hints(const Solver& s, IncompatId root) {
  std::vector<std::string> out;
  auto add = [&](std::string h) {
    if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(std::move(h));
  };
  for (IncompatId id : externals(s, root)) {
    const Incompat& i = s.incompat(id);
    if (i.cause == Cause::Dependency && i.note != kNone && s.missing(i.note).kind == Missing::NoProject) {
      add("no project named " + s.package(s.missing(i.note).pkg).name + " was found in the package sources");
      continue;
    }
    if (i.cause != Cause::Unavailable) continue;
    const Reason& r = s.reason(i.note);
    const Package& pkg = s.package(i.terms[0].pkg);
    std::size_t count = term_versions(i.terms[0]).count();
    bool many = count > 1 && count < pkg.versions;
    std::string subject = describe_term(s, i.terms[0], true) + (many ? " were skipped: " : " was skipped: ");
    switch (r.why) {
      case Why::RequiresPython:
        add(subject + (count > 1 ? "they require Python " : "it requires Python ") + r.detail + " and the target Python is " + s.catalog().python().str());
        break;
      case Why::NoFile:
        add(subject + r.detail);
        break;
      case Why::Yanked:
        add(subject + "yanked" + (r.detail.empty() ? "" : " (" + r.detail + ")") +
            "; a requirement pinning it with == can still use it");
        break;
      case Why::PreRelease:
        if (pkg.project && !pkg.project->has_final) {
          add("only pre-releases of " + pkg.name + " exist; use --pre, or name a pre-release in the requirement");
        } else {
          add(subject + "pre-releases are used only with --pre or when a requirement names one");
        }
        break;
      case Why::Forbidden:
      case Why::Rejected:
        add(subject + "excluded by the policy");
        break;
      case Why::Metadata:
        add(subject + r.detail);
        break;
      case Why::NeedsBuild:
        add(subject + r.detail + "; thoth builds sdists to learn their dependencies only for an interpreter's "
                                 "own environment (not for --platform, --python-version, --implementation, --abi "
                                 "or --target-env): use a version with a wheel (or static PKG-INFO dependencies, "
                                 "PEP 643), or build the wheel and add its directory with --find-links");
        break;
      case Why::BuildFailed:
        add(subject + r.detail + " (-v shows the build's output)");
        break;
    }
  }
  return out;
}

}  // namespace

std::string describe_term(const Solver& s, const Term& t, bool every) {
  const Package& pkg = s.package(t.pkg);
  if (t.pkg == kRoot) return "the requirements";
  if (t.text) return pkg.name + s.text(t.text);
  VersionSet v = term_versions(t);
  // With a single known version its number says more than "every version of".
  if (v.count() == pkg.versions && pkg.versions > 1) return every ? "every version of " + pkg.name : pkg.name;
  return describe_versions(pkg, v);
}

std::string explain(const Solver& solver, IncompatId root) {
  std::string out = Writer(solver, root).write();
  std::vector<std::string> h = hints(solver, root);
  if (!h.empty()) out += "\n";
  for (const std::string& line : h) out += "hint: " + line + "\n";
  return out;
}

std::string summarize(const Solver& solver, IncompatId root) {
  std::set<std::string> names;
  for (IncompatId id : externals(solver, root)) {
    for (const Term& t : solver.incompat(id).terms) {
      if (t.pkg != kRoot) names.insert(solver.package(solver.package(t.pkg).base).name);
    }
    const Incompat& i = solver.incompat(id);
    if (i.cause == Cause::Dependency && i.note != kNone) {
      names.insert(solver.package(solver.package(solver.missing(i.note).pkg).base).name);
    }
  }
  std::string list;
  std::size_t shown = 0;
  for (const std::string& n : names) {
    if (shown == 6) {
      list += ", ...";
      break;
    }
    list += (shown++ ? ", " : "") + n;
  }
  std::string out = "the requirements cannot be satisfied";
  if (!list.empty()) out += " (conflict involving " + list + ")";
  return out;
}

}  // namespace thoth::resolve
