// PEP 508 "Environment Markers" grammar as packaging 25.0 (as 23.0)'s _parser.py reads it:
//   marker      = marker_atom (BOOLOP marker_atom)*
//   marker_atom = WS? '(' WS? marker WS? ')' WS? | WS? marker_item WS?
//   marker_item = WS? marker_var WS? marker_op WS? marker_var WS?
//   marker_var  = VARIABLE | QUOTED_STRING
//   marker_op   = IN | NOT WS IN | OP
#include "pep508/marker_parse.hpp"

#include <string>
#include <utility>

#include "pep508/py_string.hpp"
#include "pep508/specifier_match.hpp"
#include "pep508/text.hpp"

namespace thoth {

std::string_view marker_op_text(MarkerOp op) {
  switch (op) {
    case MarkerOp::Less: return "<";
    case MarkerOp::LessEqual: return "<=";
    case MarkerOp::Equal: return "==";
    case MarkerOp::NotEqual: return "!=";
    case MarkerOp::GreaterEqual: return ">=";
    case MarkerOp::Greater: return ">";
    case MarkerOp::Compatible: return "~=";
    case MarkerOp::Arbitrary: return "===";
    case MarkerOp::In: return "in";
    case MarkerOp::NotIn: return "not in";
  }
  return "==";
}

namespace pep508_parse {

namespace {

MarkerOperand parse_marker_var(Tokenizer& t) {
  MarkerOperand operand;
  if (std::size_t n = t.variable(operand.var)) {
    operand.is_variable = true;
    t.advance(n);
    return operand;
  }
  if (std::size_t n = t.quoted_string()) {
    auto decoded = pep508_pystr::decode_python_string(t.source().substr(t.pos(), n));
    if (!decoded.error.empty()) t.fail("bad string literal: " + decoded.error, t.pos() + decoded.error_at);
    operand.value = std::move(decoded.value);
    t.advance(n);
    return operand;
  }
  t.fail("expected a marker variable or a quoted string");
}

MarkerOp parse_marker_op(Tokenizer& t) {
  if (std::size_t n = t.word("in")) {
    t.advance(n);
    return MarkerOp::In;
  }
  if (std::size_t n = t.word("not")) {
    t.advance(n);
    if (!t.at_char(' ') && !t.at_char('\t')) t.fail("expected whitespace after 'not'");
    t.skip_ws();
    std::size_t in = t.word("in");
    if (in == 0) t.fail("expected 'in' after 'not'");
    t.advance(in);
    return MarkerOp::NotIn;
  }
  if (std::size_t n = t.marker_op()) {
    std::string_view op = t.source().substr(t.pos(), n);
    t.advance(n);
    if (op == "===") return MarkerOp::Arbitrary;
    if (op == "==") return MarkerOp::Equal;
    if (op == "~=") return MarkerOp::Compatible;
    if (op == "!=") return MarkerOp::NotEqual;
    if (op == "<=") return MarkerOp::LessEqual;
    if (op == ">=") return MarkerOp::GreaterEqual;
    if (op == "<") return MarkerOp::Less;
    return MarkerOp::Greater;
  }
  t.fail("expected a marker operator (one of <, <=, ==, !=, >=, >, ~=, ===, in, not in)");
}

// How deep parentheses may nest in a marker. Parsing, evaluating, printing and freeing the tree recurse
// once per level, so a hostile "((((((...": without a bound it overflows the stack (packaging stops at
// Python's recursion limit). Real markers nest two or three levels.
constexpr std::size_t kMaxMarkerNesting = 100;

Marker::Node parse_marker_atom(Tokenizer& t) {
  t.skip_ws();
  Marker::Node node;
  if (t.at_char('(')) {
    std::size_t open = t.pos();
    if (++t.nesting > kMaxMarkerNesting)
      t.fail("parentheses nest more than " + std::to_string(kMaxMarkerNesting) + " levels deep");
    t.advance(1);
    t.skip_ws();
    node = parse_marker(t);
    --t.nesting;
    t.skip_ws();
    if (!t.at_char(')')) {
      t.fail("expected ')' (the '(' is at column " + std::to_string(pep508_text::column_of(t.source(), open)) +
             ")");
    }
    t.advance(1);
  } else {
    node.cmp.lhs = parse_marker_var(t);
    t.skip_ws();
    node.cmp.op = parse_marker_op(t);
    t.skip_ws();
    node.cmp.rhs = parse_marker_var(t);
  }
  t.skip_ws();
  return node;
}

std::optional<MarkerVar> canonical_var(std::string_view name) {
  for (std::size_t i = 0; i < kMarkerVarCount; ++i) {
    if (marker_var_name(static_cast<MarkerVar>(i)) == name) return static_cast<MarkerVar>(i);
  }
  return std::nullopt;
}

// The evaluation plan of one comparison (packaging's _evaluate_markers and _eval_op).
void plan(MarkerComparison& c) {
  using Side = MarkerComparison::Side;
  if (c.lhs.is_variable) {
    c.side = Side::EnvLeft;
    c.key = c.lhs.var;
    c.fixed = std::string(c.rhs.text());
  } else if (c.rhs.is_variable) {
    c.side = Side::EnvRight;
    c.key = c.rhs.var;
    c.fixed = c.lhs.value;
  } else if (auto var = canonical_var(c.rhs.value)) {
    // Two literals: packaging looks the right one up in the environment dictionary.
    c.side = Side::EnvRight;
    c.key = *var;
    c.fixed = c.lhs.value;
  } else {
    c.side = Side::UnknownName;
    return;
  }
  // PEP 685: extra names are compared normalised, on both sides; so are the names tested against the
  // sets of extras and dependency groups (packaging 25.0's _normalize).
  if (c.key == MarkerVar::Extra || c.key == MarkerVar::Extras || c.key == MarkerVar::DependencyGroups)
    c.fixed = normalize_name(c.fixed);

  if (c.side == Side::EnvLeft) {
    // PEP 508 "Environment Markers": a version comparison when `op + value` is a PEP 440
    // specifier, decided once here rather than at every evaluation.
    std::string text(marker_op_text(c.op));
    text += c.fixed;
    if (auto m = pep508_spec::full_specifier(text)) {
      try {
        c.spec = Specifier::parse(std::string(m->op) + std::string(m->version));
        c.kind = MarkerComparison::Kind::Version;
      } catch (const VersionError& e) {
        c.kind = MarkerComparison::Kind::BadSpecifier;
        c.spec_error = e.what();
      }
    }
  } else {
    c.fixed_version = Version::try_parse(c.fixed);
  }
}

void plan_all(Marker::Node& node) {
  if (!node.is_group) {
    plan(node.cmp);
    return;
  }
  for (Marker::Node& child : node.children) plan_all(child);
}

}  // namespace

Marker::Node parse_marker(Tokenizer& t) {
  Marker::Node group;
  group.is_group = true;
  group.children.push_back(parse_marker_atom(t));
  for (;;) {
    bool is_or = false;
    std::size_t n = t.word("or");
    if (n != 0) {
      is_or = true;
    } else {
      n = t.word("and");
      if (n == 0) break;
    }
    t.advance(n);
    group.or_after.push_back(is_or);
    group.children.push_back(parse_marker_atom(t));
  }
  return group;
}

std::shared_ptr<const Marker::Node> finish_marker(Marker::Node root) {
  // packaging's _normalize_extra_values: only the first item of the outermost list, and only if
  // it is a comparison; the literal opposite `extra` is stored normalised (a variable opposite
  // `extra` becomes the string of its normalised name). This shows in str().
  if (!root.children.empty() && !root.children.front().is_group) {
    MarkerComparison& c = root.children.front().cmp;
    if (c.lhs.is_variable && c.lhs.var == MarkerVar::Extra) {
      c.rhs = MarkerOperand{false, MarkerVar::PythonVersion, normalize_name(c.rhs.text())};
    } else if (c.rhs.is_variable && c.rhs.var == MarkerVar::Extra) {
      c.lhs = MarkerOperand{false, MarkerVar::PythonVersion, normalize_name(c.lhs.text())};
    }
  }
  plan_all(root);
  return std::make_shared<const Marker::Node>(std::move(root));
}

}  // namespace pep508_parse
}  // namespace thoth
