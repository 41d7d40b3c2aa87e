// PEP 508 "Grammar" for whole dependency specifiers, as packaging 25.0's _parser.py reads it:
//   requirement = WS? IDENTIFIER WS? extras WS? requirement_details END
//   extras      = ('[' WS? (IDENTIFIER (WS? ',' WS? IDENTIFIER)*)? WS? ']')?
//   requirement_details = '@' WS? URL (WS (';' marker WS?)?)?
//                       | specifier WS? (';' marker WS?)?
//   specifier   = '(' WS? version_many WS? ')' | WS? version_many WS?
//   version_many = (SPECIFIER (WS? ',' WS? SPECIFIER)*)?
#include <algorithm>
#include <string>
#include <vector>

#include "pep508/marker_parse.hpp"
#include "pep508/specifier_match.hpp"
#include "pep508/text.hpp"
#include "pep508/tokenizer.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

namespace {

using pep508_parse::Tokenizer;
using pep508_text::column_of;
using pep508_text::quote;

// Called where a version specifier could not continue. If an operator stands there, its version is
// what is wrong; otherwise `fallback` describes what was expected.
[[noreturn]] void fail_after_specifier(const Tokenizer& t, const std::string& fallback) {
  std::string_view src = t.source();
  if (std::size_t n = t.marker_op()) {
    std::string_view op = src.substr(t.pos(), n);
    if (pep508_spec::match_specifier(src, t.pos())) t.fail("expected ',' between version specifiers");
    std::size_t at = pep508_text::skip_py_space(src, t.pos() + n);
    if (op == "~=") t.fail("expected a version with at least two components after \"~=\"", at);
    t.fail("expected a version after \"" + std::string(op) + "\"", at);
  }
  t.fail(fallback);
}

std::vector<std::string> parse_extras(Tokenizer& t) {
  std::vector<std::string> extras;
  if (!t.at_char('[')) return extras;
  std::size_t open = t.pos();
  t.advance(1);
  t.skip_ws();
  if (std::size_t n = t.identifier()) {
    extras.emplace_back(t.source().substr(t.pos(), n));
    t.advance(n);
    for (;;) {
      t.skip_ws();
      if (t.identifier() != 0) t.fail("expected ',' between extra names");
      if (!t.at_char(',')) break;
      t.advance(1);
      t.skip_ws();
      std::size_t m = t.identifier();
      if (m == 0) t.fail("expected an extra name after ','");
      extras.emplace_back(t.source().substr(t.pos(), m));
      t.advance(m);
    }
  }
  t.skip_ws();
  if (!t.at_char(']')) t.fail("expected ']' (the '[' is at column " + std::to_string(column_of(t.source(), open)) + ")");
  t.advance(1);
  return extras;
}

// version_many, returning the specifier text as packaging concatenates it.
std::string parse_version_many(Tokenizer& t) {
  std::string raw;
  while (auto m = pep508_spec::match_specifier(t.source(), t.pos())) {
    raw += t.source().substr(t.pos(), m->end - t.pos());
    t.advance(m->end - t.pos());
    t.skip_ws();
    if (!t.at_char(',')) break;
    raw += ',';
    t.advance(1);
    t.skip_ws();
  }
  return raw;
}

std::string parse_specifier(Tokenizer& t) {
  if (!t.at_char('(')) {
    t.skip_ws();
    std::string raw = parse_version_many(t);
    t.skip_ws();
    return raw;
  }
  std::size_t open = t.pos();
  t.advance(1);
  t.skip_ws();
  std::string raw = parse_version_many(t);
  t.skip_ws();
  if (!t.at_char(')')) {
    fail_after_specifier(t, "expected ')' (the '(' is at column " + std::to_string(column_of(t.source(), open)) + ")");
  }
  t.advance(1);
  return raw;
}

// requirement_marker = ';' marker WS?
Marker::Node parse_requirement_marker(Tokenizer& t, const std::string& after, bool after_specifier) {
  if (!t.at_char(';')) {
    std::string msg = "expected the end or ';' (after " + after + ")";
    if (after_specifier) fail_after_specifier(t, msg);
    t.fail(msg);
  }
  t.advance(1);
  Marker::Node marker = pep508_parse::parse_marker(t);
  t.skip_ws();
  return marker;
}

// SpecifierSet(text) as packaging builds it: split on ',', strip, drop empty pieces; each piece
// must be one specifier. The pieces are handed to pep440 without the inner whitespace the
// grammar allows (">= 1.0" becomes ">=1.0").
SpecifierSet build_specifier_set(const Tokenizer& t, const std::string& raw, std::size_t at) {
  std::string clean;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = raw.find(',', start);
    std::string_view piece = pep508_text::py_strip(
        std::string_view(raw).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!piece.empty()) {
      auto m = pep508_spec::full_specifier(piece);
      if (!m) t.fail("invalid version specifier " + quote(piece), at);
      if (!clean.empty()) clean += ',';
      clean += m->op;
      clean += m->version;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  try {
    return SpecifierSet::parse(clean);
  } catch (const VersionError& e) {
    t.fail(e.what(), at);
  }
}

std::vector<std::string> sorted_unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

Requirement Requirement::parse(std::string_view text) {
  Tokenizer t(text, "requirement");
  Requirement req;

  t.skip_ws();
  std::size_t n = t.identifier();
  if (n == 0) t.fail("expected a package name at the start");
  req.name = std::string(text.substr(t.pos(), n));
  t.advance(n);
  t.skip_ws();

  std::vector<std::string> extras = parse_extras(t);
  t.skip_ws();

  std::string raw_spec;
  std::size_t spec_at = t.pos();
  std::size_t url_at = 0;
  std::optional<Marker::Node> marker;
  if (t.at_char('@')) {
    t.advance(1);
    t.skip_ws();
    url_at = t.pos();
    std::size_t u = t.url();
    if (u == 0) t.fail("expected a URL after '@'");
    req.url = std::string(text.substr(t.pos(), u));
    t.advance(u);
    if (!t.at_end()) {
      // PEP 508 "Grammar": a URL runs up to whitespace, so a marker after it needs a space first.
      if (!t.at_char(' ') && !t.at_char('\t')) t.fail("expected whitespace after the URL");
      t.skip_ws();
      if (!t.at_end()) {
        // The URL token runs up to whitespace, so "url;marker" makes the ';' part of the URL.
        if (std::size_t semi = req.url.find(';'); !t.at_char(';') && semi != std::string::npos) {
          t.fail("a ';' after a URL needs whitespace before it", url_at + semi);
        }
        marker = parse_requirement_marker(t, "the URL and whitespace", false);
      }
    }
  } else {
    spec_at = t.pos();
    raw_spec = parse_specifier(t);
    t.skip_ws();
    if (!t.at_end()) {
      marker = parse_requirement_marker(
          t, raw_spec.empty() ? "the name and no valid version specifier" : "the version specifier", true);
    }
  }
  if (!t.at_end()) t.fail("expected the end of the requirement");

  // The URL is not validated here: packaging 23.2 and later take any text (#120, "Requirement parsing
  // no longer automatically validates the URL"), so "name @ file:." (no host) is a requirement. What a
  // URL names is the installer's question (session/direct_candidate.cpp).
  // PEP 685: extras compare normalised; the spelling is kept for str().
  std::vector<std::string> normalized;
  normalized.reserve(extras.size());
  for (const std::string& e : extras) normalized.push_back(normalize_extra(e));
  req.extras = sorted_unique(std::move(normalized));
  req.written_extras = sorted_unique(std::move(extras));
  req.specifier = build_specifier_set(t, raw_spec, spec_at);
  if (marker) req.marker = Marker(pep508_parse::finish_marker(std::move(*marker)));
  return req;
}

bool Requirement::has_extra(std::string_view extra) const {
  return std::binary_search(extras.begin(), extras.end(), normalize_extra(extra));
}

std::string Requirement::str() const {
  std::string out = name;
  // packaging prints the extras as written; fall back to the normalised ones when the written
  // list no longer describes `extras` (e.g. a caller edited them).
  const std::vector<std::string>* shown = &extras;
  if (!written_extras.empty()) {
    std::vector<std::string> check;
    for (const std::string& e : written_extras) check.push_back(normalize_extra(e));
    if (sorted_unique(std::move(check)) == extras) shown = &written_extras;
  }
  if (!shown->empty()) {
    out += '[';
    for (std::size_t i = 0; i < shown->size(); ++i) {
      if (i > 0) out += ',';
      out += (*shown)[i];
    }
    out += ']';
  }
  if (!specifier.empty()) out += specifier.str();
  std::string marker_text = marker ? marker->str() : std::string();
  if (!url.empty()) {
    out += "@ ";
    out += url;
    if (!marker_text.empty()) out += ' ';
  }
  if (!marker_text.empty()) {
    out += "; ";
    out += marker_text;
  }
  return out;
}

}  // namespace thoth
