#include <algorithm>

#include "advise/osv.hpp"

namespace thoth::advisor {

std::vector<SpecifierSet> ecosystem_range_specifiers(const std::vector<OsvEvent>& events) {
  using Type = OsvEvent::Type;
  struct Bound {
    Type type;
    std::optional<Version> version;  // nullopt: introduced "0", before every version
  };
  std::vector<Bound> bounds;
  std::optional<Version> limit;
  bool unlimited = false;
  bool limited = false;
  for (const OsvEvent& e : events) {
    if (e.type == Type::Limit) {
      // OSV schema, "Special values": a limit containing "*" is infinity.
      if (e.version.find('*') != std::string::npos) {
        unlimited = true;
        continue;
      }
      Version v = Version::parse(e.version);
      if (!limit || v > *limit) limit = v;
      limited = true;
      continue;
    }
    if (e.type == Type::Introduced && e.version == "0") {
      bounds.push_back({e.type, std::nullopt});
      continue;
    }
    bounds.push_back({e.type, Version::parse(e.version)});
  }
  if (unlimited || !limited) limit.reset();
  std::stable_sort(bounds.begin(), bounds.end(), [](const Bound& a, const Bound& b) {
    if (!a.version || !b.version) return !a.version && b.version;
    return *a.version < *b.version;
  });

  std::vector<SpecifierSet> out;
  auto emit = [&](const std::optional<Version>& start, std::optional<Specifier> end) {
    SpecifierSet set;
    if (start) set.add(Specifier::make(Specifier::Op::GreaterEqual, *start));
    if (end) set.add(*end);
    if (limit) {
      if (start && *start >= *limit) return;
      set.add(Specifier::make(Specifier::Op::Less, *limit));
    }
    out.push_back(std::move(set));
  };
  bool open = false;
  std::optional<Version> start;
  for (const Bound& b : bounds) {
    switch (b.type) {
      case Type::Introduced:
        if (!open) start = b.version;
        open = true;
        break;
      case Type::Fixed:
        if (open && (!start || *start < *b.version)) emit(start, Specifier::make(Specifier::Op::Less, *b.version));
        open = false;
        break;
      case Type::LastAffected:
        if (open && (!start || *start <= *b.version))
          emit(start, Specifier::make(Specifier::Op::LessEqual, *b.version));
        open = false;
        break;
      case Type::Limit:
        break;
    }
  }
  if (open) emit(start, std::nullopt);
  return out;
}

}  // namespace thoth::advisor
