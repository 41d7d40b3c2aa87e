// Marker parsing entry point and packaging 23.0's str(Marker) (_format_marker).
#include <string>

#include "pep508/marker_node.hpp"
#include "pep508/marker_parse.hpp"
#include "pep508/tokenizer.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

namespace {

void format_operand(const MarkerOperand& o, std::string& out) {
  // Values are printed in double quotes without any escaping, exactly as packaging does.
  if (o.is_variable) {
    out += marker_var_name(o.var);
  } else {
    out += '"';
    out += o.value;
    out += '"';
  }
}

// _format_marker: a list of one item prints that item as if it were the outermost list (so a
// redundant pair of parentheses disappears, along with the parentheses of what it wraps); other
// lists are parenthesised unless outermost.
void format(const Marker::Node& node, bool first, std::string& out) {
  if (!node.is_group) {
    format_operand(node.cmp.lhs, out);
    out += ' ';
    out += marker_op_text(node.cmp.op);
    out += ' ';
    format_operand(node.cmp.rhs, out);
    return;
  }
  if (node.children.size() == 1) {
    format(node.children.front(), true, out);
    return;
  }
  if (!first) out += '(';
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    if (i > 0) out += node.or_after[i - 1] ? " or " : " and ";
    format(node.children[i], false, out);
  }
  if (!first) out += ')';
}

bool depends_on_extra(const Marker::Node& node) {
  if (!node.is_group) {
    return node.cmp.side != MarkerComparison::Side::UnknownName && node.cmp.key == MarkerVar::Extra;
  }
  for (const Marker::Node& child : node.children) {
    if (depends_on_extra(child)) return true;
  }
  return false;
}

}  // namespace

Marker Marker::parse(std::string_view text) {
  pep508_parse::Tokenizer t(text, "marker");
  return Marker(pep508_parse::finish_marker(pep508_parse::parse_marker(t)));
}

std::string Marker::str() const {
  std::string out;
  if (root_) format(*root_, true, out);
  return out;
}

bool Marker::mentions_extra() const { return root_ && depends_on_extra(*root_); }

}  // namespace thoth
