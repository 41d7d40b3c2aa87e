// Marker evaluation with the semantics of packaging 23.0's Marker.evaluate (PEP 508 "Environment
// Markers"), on a MarkerEnv value instead of the running interpreter.
#include <optional>
#include <string>

#include "pep508/marker_node.hpp"
#include "pep508/specifier_match.hpp"
#include "pep508/text.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

namespace {

using pep508_text::quote;

class EvalContext {
 public:
  EvalContext(const MarkerEnv& env, std::string_view extra) : env_(env), extra_(extra) {}

  const std::string& value(MarkerVar key) {
    if (key != MarkerVar::Extra) return env_.get(key);
    // PEP 685: the extra being evaluated is compared normalised.
    if (!have_extra_) {
      normalized_extra_ = normalize_name(extra_);
      have_extra_ = true;
    }
    return normalized_extra_;
  }
  // The value as a version (nullptr if it is not one), without copying the environment's.
  const Version* version(MarkerVar key) {
    if (key != MarkerVar::Extra) {
      const std::optional<Version>& v = env_.version(key);
      return v ? &*v : nullptr;
    }
    if (!have_extra_version_) {
      extra_version_ = Version::try_parse(value(key));
      have_extra_version_ = true;
    }
    return extra_version_ ? &*extra_version_ : nullptr;
  }

 private:
  const MarkerEnv& env_;
  std::string_view extra_;
  // Computed on first use only: most markers never look at `extra`.
  bool have_extra_ = false;
  bool have_extra_version_ = false;
  std::string normalized_extra_;
  std::optional<Version> extra_version_;
};

std::string describe(const MarkerComparison& c) {
  std::string s(c.lhs.is_variable ? std::string(c.lhs.text()) : quote(c.lhs.value));
  s += ' ';
  s += marker_op_text(c.op);
  s += ' ';
  s += c.rhs.is_variable ? std::string(c.rhs.text()) : quote(c.rhs.value);
  return s;
}

[[noreturn]] void fail(const MarkerComparison& c, const std::string& why) {
  throw RequirementError("cannot evaluate marker '" + describe(c) + "': " + why);
}

[[noreturn]] void not_a_version(const MarkerComparison& c, const std::string& text) {
  // packaging 23.0 raises InvalidVersion here rather than falling back to a string comparison.
  fail(c, quote(text) + " is not a valid version, so the version comparison " +
              std::string(marker_op_text(c.op)) + " is undefined");
}

// packaging's _operators table: the string comparisons PEP 508 defines. ~= and === have no
// string meaning.
bool compare_strings(const MarkerComparison& c, const std::string& lhs, const std::string& rhs) {
  // std::string compares bytes as unsigned char, which orders UTF-8 text by code point like
  // Python's str comparison.
  switch (c.op) {
    case MarkerOp::Equal: return lhs == rhs;
    case MarkerOp::NotEqual: return lhs != rhs;
    case MarkerOp::Less: return lhs < rhs;
    case MarkerOp::LessEqual: return lhs <= rhs;
    case MarkerOp::Greater: return lhs > rhs;
    case MarkerOp::GreaterEqual: return lhs >= rhs;
    case MarkerOp::In: return rhs.find(lhs) != std::string::npos;
    case MarkerOp::NotIn: return rhs.find(lhs) == std::string::npos;
    case MarkerOp::Compatible:
    case MarkerOp::Arbitrary: break;
  }
  fail(c, "the operator " + std::string(marker_op_text(c.op)) + " is undefined between the strings " +
              quote(lhs) + " and " + quote(rhs));
}

bool evaluate_comparison(const MarkerComparison& c, EvalContext& ctx) {
  using Side = MarkerComparison::Side;
  using Kind = MarkerComparison::Kind;
  switch (c.side) {
    case Side::UnknownName:
      fail(c, quote(c.rhs.value) + " is not the name of a marker variable");
    case Side::EnvLeft: {
      if (c.kind == Kind::Version) {
        // Specifier.contains(lhs, prereleases=True): the bare clause test.
        const Version* v = ctx.version(c.key);
        if (v == nullptr) not_a_version(c, ctx.value(c.key));
        return c.spec->matches(*v);
      }
      if (c.kind == Kind::BadSpecifier) fail(c, c.spec_error);
      return compare_strings(c, ctx.value(c.key), c.fixed);
    }
    case Side::EnvRight: {
      // The specifier is `op + environment value`, so it can only be recognised now.
      const std::string& env_value = ctx.value(c.key);
      std::string text(marker_op_text(c.op));
      text += env_value;
      auto m = pep508_spec::full_specifier(text);
      if (!m) return compare_strings(c, c.fixed, env_value);
      if (!c.fixed_version) not_a_version(c, c.fixed);
      try {
        return Specifier::parse(std::string(m->op) + std::string(m->version)).matches(*c.fixed_version);
      } catch (const VersionError& e) {
        fail(c, e.what());
      }
    }
  }
  return false;
}

// packaging's _evaluate_markers: `and` binds tighter than `or` (PEP 508 "Grammar"). Every item is
// evaluated, as packaging does, so an undefined comparison anywhere raises.
bool evaluate_node(const Marker::Node& node, EvalContext& ctx) {
  if (!node.is_group) return evaluate_comparison(node.cmp, ctx);
  bool any = false;
  bool all = true;
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    bool v = evaluate_node(node.children[i], ctx);
    if (i > 0 && node.or_after[i - 1]) {
      any = any || all;
      all = true;
    }
    all = all && v;
  }
  return any || all;
}

}  // namespace

bool Marker::evaluate(const MarkerEnv& env, std::string_view extra) const {
  if (!root_) return true;
  EvalContext ctx(env, extra);
  return evaluate_node(*root_, ctx);
}

}  // namespace thoth
