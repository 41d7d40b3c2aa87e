// Marker parsing entry point and packaging's str(Marker) (_format_marker), with values quoted so the
// text always reads back as the same marker.
#include <string>

#include "pep508/marker_node.hpp"
#include "pep508/marker_parse.hpp"
#include "pep508/py_string.hpp"
#include "pep508/tokenizer.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

namespace {

// `value` between `quote`s, if that token reads back as `value` (packaging's QUOTED_STRING, then
// ast.literal_eval, which pep508_pystr reproduces).
bool reads_back(const std::string& value, char quote, std::string& token) {
  if (value.find(quote) != std::string::npos) return false;
  token.assign(1, quote);
  token += value;
  token += quote;
  auto decoded = pep508_pystr::decode_python_string(token);
  return decoded.error.empty() && decoded.value == value;
}

// packaging prints every value in double quotes as it is, so a value holding '"' (or a backslash, or a
// line break) prints as text that reads back otherwise: 'a" == os_name or "b' == os_name is one
// comparison, printed as two. A lock file must never change a marker's meaning, so such a value is
// printed in single quotes when that reads back, else in double quotes with the backslash escapes of a
// Python string literal (\\, \x22, and \xHH for the C0 controls and DEL), which packaging reads too.
void format_value(const std::string& value, std::string& out) {
  bool plain = true;
  for (unsigned char c : value) plain = plain && c != '"' && c != '\\' && c >= 0x20 && c != 0x7f;
  std::string token;
  if (plain || reads_back(value, '"', token) || reads_back(value, '\'', token)) {
    if (plain) token = '"' + value + '"';
    out += token;
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"' || c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void format_operand(const MarkerOperand& o, std::string& out) {
  if (o.is_variable) {
    out += marker_var_name(o.var);
  } else {
    format_value(o.value, out);
  }
}

// _format_marker: a list of one item prints that item as if it were the outermost list (so a
// redundant pair of parentheses disappears, along with the parentheses of what it wraps); other
// lists are parenthesised unless outermost.
//
// One departure, so that the text reads back as the same marker: packaging reads the first comparison
// of the outermost list with `extra` facing another variable as `extra` facing that variable's name
// as a string (_normalize_extra_values; see finish_marker). Such a comparison that was not first when
// parsed ("(python_version > extra)", or "(A) and B" with A of that shape) is compared with the
// variable's value, and printed first without its parentheses it would read back compared with the
// name. It keeps its parentheses there. (`out` is empty exactly while the first comparison prints:
// Marker::str() starts from an empty string, and a group's "(" comes before its comparisons.)
bool variable_facing_extra(const MarkerComparison& c) {
  return c.lhs.is_variable && c.rhs.is_variable && (c.lhs.var == MarkerVar::Extra || c.rhs.var == MarkerVar::Extra);
}

void format(const Marker::Node& node, bool first, std::string& out) {
  if (!node.is_group) {
    const bool wrap = out.empty() && variable_facing_extra(node.cmp);
    if (wrap) out += '(';
    format_operand(node.cmp.lhs, out);
    out += ' ';
    out += marker_op_text(node.cmp.op);
    out += ' ';
    format_operand(node.cmp.rhs, out);
    if (wrap) out += ')';
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
  Node root = pep508_parse::parse_marker(t);
  // packaging 23.2 and later: the whole text is the marker (#687).
  if (!t.at_end()) t.fail("expected 'and', 'or' or the end of the marker");
  return Marker(pep508_parse::finish_marker(std::move(root)));
}

std::string Marker::str() const {
  std::string out;
  if (root_) format(*root_, true, out);
  return out;
}

bool Marker::mentions_extra() const { return root_ && depends_on_extra(*root_); }

}  // namespace thoth
