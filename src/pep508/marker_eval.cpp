// Marker evaluation with the semantics of packaging 25.0's Marker.evaluate (PEP 508 "Environment
// Markers"; PEP 751 for the lock-file context), on a MarkerEnv value instead of the running interpreter.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "pep508/marker_node.hpp"
#include "pep508/specifier_match.hpp"
#include "pep508/text.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

namespace {

using pep508_text::quote;

bool is_set_variable(MarkerVar key) { return key == MarkerVar::Extras || key == MarkerVar::DependencyGroups; }

// The values one evaluation reads: the environment, and either the `extra` being evaluated (packaging's
// "metadata" context) or the sets a lock file was asked for (its "lock_file" context). A variable the
// context does not define is an error, as packaging's KeyError (UndefinedEnvironmentName) is.
class EvalContext {
 public:
  EvalContext(const MarkerEnv& env, std::string_view extra) : env_(env), extra_(extra) {}
  EvalContext(const MarkerEnv& env, const LockSelection& selection) : env_(env), selection_(&selection) {}

  // The value of a variable that holds a string.
  const std::string& value(const MarkerComparison& c) {
    if (c.key == MarkerVar::PythonFullVersion) {
      // packaging 24.1 and later (#802, #825): platform.python_version() of an untagged CPython build
      // ends in '+', which is no PEP 440 version; it is read as the local version "+local".
      const std::string& v = env_.get(c.key);
      if (!v.ends_with('+')) return v;
      if (!have_full_version_) {
        repaired_full_version_ = v + "local";
        full_version_ = Version::try_parse(repaired_full_version_);
        have_full_version_ = true;
      }
      return repaired_full_version_;
    }
    if (c.key != MarkerVar::Extra) return env_.get(c.key);
    if (selection_ != nullptr) undefined(c, "is not defined in a lock file (PEP 751 markers use extras)");
    // PEP 685: the extra being evaluated is compared normalised.
    if (!have_extra_) {
      normalized_extra_ = normalize_name(extra_);
      have_extra_ = true;
    }
    return normalized_extra_;
  }
  // The value as a version (nullptr if it is not one), without copying the environment's.
  const Version* version(const MarkerComparison& c) {
    if (c.key == MarkerVar::PythonFullVersion && env_.get(c.key).ends_with('+')) {
      value(c);
      return full_version_ ? &*full_version_ : nullptr;
    }
    if (c.key != MarkerVar::Extra) {
      const std::optional<Version>& v = env_.version(c.key);
      return v ? &*v : nullptr;
    }
    if (!have_extra_version_) {
      extra_version_ = Version::try_parse(value(c));
      have_extra_version_ = true;
    }
    return extra_version_ ? &*extra_version_ : nullptr;
  }
  // Whether the (normalised) name is in the set a set-valued variable holds.
  bool contains(const MarkerComparison& c, const std::string& name) {
    if (selection_ == nullptr) undefined(c, "is only defined in a PEP 751 lock file");
    if (!have_sets_) {
      for (const std::string& e : selection_->extras) extras_.push_back(normalize_name(e));
      for (const std::string& g : selection_->dependency_groups) groups_.push_back(normalize_name(g));
      have_sets_ = true;
    }
    const std::vector<std::string>& set = c.key == MarkerVar::Extras ? extras_ : groups_;
    return std::find(set.begin(), set.end(), name) != set.end();
  }

 private:
  [[noreturn]] void undefined(const MarkerComparison& c, const std::string& why);

  const MarkerEnv& env_;
  std::string_view extra_;
  const LockSelection* selection_ = nullptr;
  // Computed on first use only: most markers never look at these.
  bool have_extra_ = false;
  bool have_extra_version_ = false;
  bool have_full_version_ = false;
  bool have_sets_ = false;
  std::string normalized_extra_;
  std::optional<Version> extra_version_;
  std::string repaired_full_version_;
  std::optional<Version> full_version_;
  std::vector<std::string> extras_, groups_;
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

void EvalContext::undefined(const MarkerComparison& c, const std::string& why) {
  fail(c, "the marker variable " + std::string(marker_var_name(c.key)) + " " + why);
}

[[noreturn]] void not_a_version(const MarkerComparison& c, const std::string& text) {
  // packaging (23.0 and 25.0) raises InvalidVersion here rather than falling back to a string comparison.
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

// packaging 25.0's _eval_op with a set on the right: `in` and `not in` test membership, == and !=
// compare a string with a set (never equal), and the ordering operators raise (TypeError).
bool compare_with_set(const MarkerComparison& c, EvalContext& ctx) {
  switch (c.op) {
    case MarkerOp::In: return ctx.contains(c, c.fixed);
    case MarkerOp::NotIn: return !ctx.contains(c, c.fixed);
    case MarkerOp::Equal: ctx.contains(c, c.fixed); return false;
    case MarkerOp::NotEqual: ctx.contains(c, c.fixed); return true;
    default: break;
  }
  ctx.contains(c, c.fixed);  // an undefined variable is the error packaging reports first
  fail(c, std::string(marker_var_name(c.key)) + " is a set: test a name with 'in' or 'not in'");
}

bool evaluate_comparison(const MarkerComparison& c, EvalContext& ctx) {
  using Side = MarkerComparison::Side;
  using Kind = MarkerComparison::Kind;
  switch (c.side) {
    case Side::UnknownName:
      fail(c, quote(c.rhs.value) + " is not the name of a marker variable");
    case Side::EnvLeft: {
      if (is_set_variable(c.key)) {
        ctx.contains(c, c.fixed);  // undefined outside a lock file
        fail(c, std::string(marker_var_name(c.key)) + " is a set and goes on the right: \"name\" in " +
                    std::string(marker_var_name(c.key)));
      }
      if (c.kind == Kind::Version) {
        // Specifier.contains(lhs, prereleases=True): the bare clause test.
        const Version* v = ctx.version(c);
        if (v == nullptr) not_a_version(c, ctx.value(c));
        return c.spec->matches(*v);
      }
      if (c.kind == Kind::BadSpecifier) fail(c, c.spec_error);
      return compare_strings(c, ctx.value(c), c.fixed);
    }
    case Side::EnvRight: {
      if (is_set_variable(c.key)) return compare_with_set(c, ctx);
      // The specifier is `op + environment value`, so it can only be recognised now.
      const std::string& env_value = ctx.value(c);
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

bool Marker::evaluate_in_lock(const MarkerEnv& env, const LockSelection& selection) const {
  if (!root_) return true;
  EvalContext ctx(env, selection);
  return evaluate_node(*root_, ctx);
}

}  // namespace thoth
