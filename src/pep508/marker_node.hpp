// The parsed form of an environment marker (internal to pep508; Marker::Node is opaque in the
// public header).
//
// The tree keeps the shape packaging's parser gives it, because both evaluation and str()
// depend on that shape: a group is a flat list `item (and|or item)*` exactly as written (the
// precedence of `and` over `or` is applied when evaluating), and every parenthesised expression is
// a group of its own, even a redundant one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "thoth/pep440.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

enum class MarkerOp : std::uint8_t {
  Less,
  LessEqual,
  Equal,
  NotEqual,
  GreaterEqual,
  Greater,
  Compatible,  // ~=
  Arbitrary,   // ===
  In,
  NotIn,
};

std::string_view marker_op_text(MarkerOp op);

// One side of a comparison: a variable or a (decoded) string literal.
struct MarkerOperand {
  bool is_variable = false;
  MarkerVar var = MarkerVar::PythonVersion;  // when is_variable
  std::string value;                          // when !is_variable

  // packaging's Node.value: the canonical variable name, or the string.
  std::string_view text() const { return is_variable ? marker_var_name(var) : std::string_view(value); }
};

struct MarkerComparison {
  MarkerOperand lhs;
  MarkerOp op = MarkerOp::Equal;
  MarkerOperand rhs;

  // How packaging's _evaluate_markers treats the pair, decided once at parse time: the environment
  // value of `key` goes on the left if the left operand is a variable, otherwise on the right, and
  // the other side is the fixed text (a variable there counts as its own name). Two literals take
  // the right one as the name of an environment entry.
  enum class Side : std::uint8_t { EnvLeft, EnvRight, UnknownName };
  Side side = Side::EnvLeft;
  MarkerVar key = MarkerVar::PythonVersion;
  std::string fixed;  // normalised (PEP 685) when key is `extra`

  // EnvLeft: `op + fixed` parsed as a PEP 440 specifier, when it is one.
  enum class Kind : std::uint8_t { String, Version, BadSpecifier };
  Kind kind = Kind::String;
  std::optional<Specifier> spec;
  std::string spec_error;  // Kind::BadSpecifier: matches the specifier grammar, rejected by pep440

  // EnvRight: the fixed text parsed as a version (needed if `op + env value` is a specifier).
  std::optional<Version> fixed_version;
};

struct Marker::Node {
  bool is_group = false;
  MarkerComparison cmp;          // !is_group
  std::vector<Node> children;    // is_group: at least one
  std::vector<bool> or_after;    // is_group: or_after[i] joins children[i] and children[i + 1]
};

}  // namespace thoth
