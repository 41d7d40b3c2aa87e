// PEP 440 "Version specifiers" as packaging 25.0 (as 23.0) spells them in Specifier._regex. The regular
// expression is emulated by hand: its optional groups never need backtracking except across the
// operator alternatives and the look-behind guarded version alternatives, which are tried in the
// same order as Python's engine tries them.
#include "pep508/specifier_match.hpp"

#include <array>

#include "pep508/text.hpp"

namespace thoth::pep508_spec {

using pep508_text::ascii_lower;
using pep508_text::is_ascii_alnum;
using pep508_text::is_ascii_digit;
using pep508_text::py_space_len;
using pep508_text::skip_py_space;

namespace {

// Operator alternatives in the order of the regex: (~=|==|!=|<=|>=|<|>|===).
constexpr std::array<std::string_view, 8> kOps = {"~=", "==", "!=", "<=", ">=", "<", ">", "==="};

bool is_sep(char c) { return c == '-' || c == '_' || c == '.'; }

// Case-insensitive keyword at `pos` (the regex is compiled with re.IGNORECASE).
bool keyword_at(std::string_view s, std::size_t pos, std::string_view kw) {
  if (s.size() - pos < kw.size()) return false;
  for (std::size_t i = 0; i < kw.size(); ++i) {
    if (ascii_lower(s[pos + i]) != kw[i]) return false;
  }
  return true;
}

std::size_t digits(std::string_view s, std::size_t pos) {
  std::size_t p = pos;
  while (p < s.size() && is_ascii_digit(s[p])) ++p;
  return p - pos;
}

// [-_\.]? keyword [-_\.]? [0-9]*  — the first keyword of `kws` that matches wins, as in the
// regex alternation; returns the end or npos.
template <std::size_t N>
std::size_t match_tagged(std::string_view s, std::size_t pos, const std::array<std::string_view, N>& kws) {
  std::size_t p = pos;
  if (p < s.size() && is_sep(s[p])) ++p;
  for (std::string_view kw : kws) {
    if (keyword_at(s, p, kw)) {
      std::size_t q = p + kw.size();
      if (q < s.size() && is_sep(s[q])) ++q;
      return q + digits(s, q);
    }
  }
  // A separator followed by no keyword cannot match either (keywords start with letters).
  return std::string_view::npos;
}

constexpr std::array<std::string_view, 8> kPre = {"alpha", "beta", "preview", "pre", "a", "b", "c", "rc"};
constexpr std::array<std::string_view, 3> kPost = {"post", "rev", "r"};
constexpr std::array<std::string_view, 1> kDev = {"dev"};

// pre? post? dev?  (post also admits the implicit form -N)
std::size_t match_suffixes(std::string_view s, std::size_t p) {
  if (std::size_t e = match_tagged(s, p, kPre); e != std::string_view::npos) p = e;
  if (p < s.size() && s[p] == '-' && digits(s, p + 1) > 0) {
    p = p + 1 + digits(s, p + 1);
  } else if (std::size_t e = match_tagged(s, p, kPost); e != std::string_view::npos) {
    p = e;
  }
  if (std::size_t e = match_tagged(s, p, kDev); e != std::string_view::npos) p = e;
  return p;
}

// \+[a-z0-9]+(?:[-_\.][a-z0-9]+)*  (case-insensitive); returns `p` when absent.
// Byte length of one local-label character at i: [a-z0-9] in any case, plus the four non-ASCII letters
// Python's IGNORECASE [a-z] also matches (U+0130, U+0131, U+017F, U+212A), as packaging's regex does.
std::size_t local_char(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  if (is_ascii_alnum(s[i])) return 1;
  auto byte = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  if (byte(0) == 0xC4 && (byte(1) == 0xB0 || byte(1) == 0xB1)) return 2;
  if (byte(0) == 0xC5 && byte(1) == 0xBF) return 2;
  if (byte(0) == 0xE2 && byte(1) == 0x84 && byte(2) == 0xAA) return 3;
  return 0;
}

std::size_t match_local(std::string_view s, std::size_t p) {
  auto run = [&](std::size_t q) {
    std::size_t r = q;
    while (std::size_t n = local_char(s, r)) r += n;
    return r;
  };
  if (p >= s.size() || s[p] != '+') return p;
  std::size_t q = run(p + 1);
  if (q == p + 1) return p;
  while (q + 1 < s.size() && is_sep(s[q]) && local_char(s, q + 1) > 0) q = run(q + 1);
  return q;
}

// v? ([0-9]+!)? [0-9]+ (\.[0-9]+)*  with at least `min_parts` release numbers; returns npos if
// absent.
std::size_t match_release(std::string_view s, std::size_t p, int min_parts) {
  if (p < s.size() && ascii_lower(s[p]) == 'v') ++p;
  if (std::size_t n = digits(s, p); n > 0 && p + n < s.size() && s[p + n] == '!') p += n + 1;
  std::size_t n = digits(s, p);
  if (n == 0) return std::string_view::npos;
  p += n;
  int parts = 1;
  while (p + 1 < s.size() && s[p] == '.' && is_ascii_digit(s[p + 1])) {
    p += 1 + digits(s, p + 1);
    ++parts;
  }
  return parts >= min_parts ? p : std::string_view::npos;
}

bool preceded_by(std::string_view s, std::size_t pos, std::string_view what) {
  return pos >= what.size() && s.substr(pos - what.size(), what.size()) == what;
}

// The version alternatives of the regex, each guarded by a look-behind on the operator text.
// `p` is where the version group starts (the group includes leading whitespace). Returns the end of
// the version and sets `body` to the offset after that whitespace.
std::size_t match_version(std::string_view s, std::size_t p, std::size_t& body) {
  body = skip_py_space(s, p);
  // (?<====) \s* [^\s;)]*  — the arbitrary-equality escape hatch.
  if (preceded_by(s, p, "===")) {
    std::size_t q = body;
    while (q < s.size() && s[q] != ';' && s[q] != ')' && py_space_len(s, q) == 0) ++q;
    return q;
  }
  bool eq = preceded_by(s, p, "==") || preceded_by(s, p, "!=");
  bool compat = preceded_by(s, p, "~=");
  std::size_t q = match_release(s, body, compat ? 2 : 1);
  if (q == std::string_view::npos) return q;
  if (eq) {
    // == and != admit a trailing .* wildcard, or suffixes with a local label.
    if (q + 1 < s.size() && s[q] == '.' && s[q + 1] == '*') return q + 2;
    return match_local(s, match_suffixes(s, q));
  }
  return match_suffixes(s, q);
}

}  // namespace

std::optional<SpecMatch> match_specifier(std::string_view text, std::size_t pos) {
  for (std::string_view op : kOps) {
    if (text.substr(pos, op.size()) != op) continue;
    std::size_t body = 0;
    std::size_t end = match_version(text, pos + op.size(), body);
    if (end != std::string_view::npos) return SpecMatch{op, text.substr(body, end - body), end};
  }
  return std::nullopt;
}

std::optional<SpecMatch> full_specifier(std::string_view text) {
  std::size_t start = skip_py_space(text, 0);
  for (std::string_view op : kOps) {
    if (text.substr(start, op.size()) != op) continue;
    std::size_t body = 0;
    std::size_t end = match_version(text, start + op.size(), body);
    // Only trailing whitespace may follow (`\s*$`); otherwise the engine backtracks into the next
    // operator alternative.
    if (end != std::string_view::npos && skip_py_space(text, end) == text.size()) {
      return SpecMatch{op, text.substr(body, end - body), end};
    }
  }
  return std::nullopt;
}

}  // namespace thoth::pep508_spec
