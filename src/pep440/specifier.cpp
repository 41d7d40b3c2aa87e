// Specifier: one PEP 440 "Version specifiers" clause, with packaging 25.0 (as 23.0)'s grammar and semantics.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "pep440/prefix_match.hpp"
#include "pep440/text.hpp"
#include "pep440/version_format.hpp"
#include "pep440/version_parser.hpp"
#include "thoth/pep440.hpp"

namespace thoth {

namespace {

using Op = Specifier::Op;

struct OpSpelling {
  std::string_view text;
  Op op;
};

// "===" before "==" and two-character operators before one-character ones: the longest operator
// is the only one the rest of packaging's regex can match after.
constexpr OpSpelling kOps[] = {
    {"===", Op::Arbitrary}, {"~=", Op::Compatible},  {"==", Op::Equal}, {"!=", Op::NotEqual},
    {"<=", Op::LessEqual},  {">=", Op::GreaterEqual}, {"<", Op::Less},   {">", Op::Greater},
};

std::string_view op_text(Op op) {
  for (const OpSpelling& s : kOps) {
    if (s.op == op) return s.text;
  }
  return "";
}

[[noreturn]] void fail(std::string_view text, const std::string& reason) {
  throw VersionError("invalid specifier " + pep440::quote(text) + ": " + reason);
}

// Compares the normalised spelling of a version with text, case-insensitively as Python's
// str.lower() does, without building the string. str(Version) is lower-case ASCII, and the only
// non-ASCII character whose lower() is ASCII is U+212A KELVIN SIGN ('k').
class LowerTextMatcher {
 public:
  explicit LowerTextMatcher(std::string_view text) : text_(text) {}
  void operator()(std::string_view piece) {
    for (char c : piece) {
      if (!ok_ || i_ >= text_.size()) {
        ok_ = false;
        return;
      }
      if (static_cast<unsigned char>(text_[i_]) < 0x80) {
        ok_ = base::ascii_lower(text_[i_]) == c;
        ++i_;
      } else if (text_.substr(i_, 3) == "\xE2\x84\xAA") {
        ok_ = c == 'k';
        i_ += 3;
      } else {
        ok_ = false;
      }
    }
  }
  bool matched() const { return ok_ && i_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t i_ = 0;
  bool ok_ = true;
};

}  // namespace

Specifier Specifier::parse(std::string_view text) {
  Specifier s;
  std::size_t pos = pep440::skip_space(text, 0);
  const OpSpelling* found = nullptr;
  for (const OpSpelling& o : kOps) {
    if (text.substr(pos).starts_with(o.text)) {
      found = &o;
      break;
    }
  }
  if (!found) {
    fail(text, pep440::unexpected_at(text, pos) + " (expected an operator: ~= == != <= >= < > ===)");
  }
  s.op_ = found->op;
  pos = pep440::skip_space(text, pos + found->text.size());

  if (s.op_ == Op::Arbitrary) {
    // PEP 440 "Arbitrary equality": any text up to whitespace, ';' or ')' (packaging's [^\s;)]*).
    std::size_t start = pos;
    while (pos < text.size() && text[pos] != ';' && text[pos] != ')' && pep440::space_length(text, pos) == 0) {
      ++pos;
    }
    s.arbitrary_ = std::string(text.substr(start, pos - start));
    s.version_text_ = s.arbitrary_;
    pos = pep440::skip_space(text, pos);
    if (pos != text.size()) fail(text, pep440::unexpected_at(text, pos));
    // Only consulted for admits_prereleases(); text that is no version names no pre-release.
    s.version_ = Version::try_parse(s.arbitrary_).value_or(Version());
    return s;
  }

  // PEP 440 "Version matching" / "Version exclusion" allow a local label and a ".*" suffix; the
  // ordered comparisons and ~= allow neither, and ~= needs at least two release numbers.
  VersionParser::Options options;
  bool equality = s.op_ == Op::Equal || s.op_ == Op::NotEqual;
  options.allow_local = equality;
  options.allow_wildcard = equality;
  options.min_release = s.op_ == Op::Compatible ? 2 : 1;
  std::size_t start = pos;
  VersionParser p(text, pos);
  Version v = VersionParser::blank();
  bool wildcard = false;
  bool ok = p.parse(options, v, &wildcard);
  std::size_t end = p.pos();
  if (ok) {
    p.skip_space();
    if (!p.at_end()) {
      p.fail_unexpected();
      ok = false;
    }
  }
  if (!ok) {
    std::string reason = p.error();
    char bad = p.error_pos() < text.size() ? text[p.error_pos()] : '\0';
    if (!equality && bad == '*') reason += " (a \".*\" suffix is only allowed with == and !=)";
    if (!equality && bad == '+') reason += " (a local version label is only allowed with == and !=)";
    fail(text, reason);
  }
  s.version_text_ = std::string(text.substr(start, end - start));
  s.version_ = std::move(v);
  s.wildcard_ = wildcard;
  if (s.op_ == Op::Compatible) s.prefix_ = pep440::compatible_prefix(s.version_);
  return s;
}

Specifier Specifier::make(Op op, Version version, bool wildcard) {
  // Going through the text applies every rule of the grammar (e.g. no ".*" after a pre-release).
  std::string text(op_text(op));
  text += version.str();
  if (wildcard) text += ".*";
  return parse(text);
}

bool Specifier::admits_prereleases() const {
  // packaging's Specifier.prereleases: every operator but !=, when the version it names is a
  // pre-release (for "==V.*" the version without ".*", which is never one). PEP 440 "Handling of
  // pre-releases": a clause naming a pre-release admits them; packaging 24.2 counts < and > as well
  // ("Fix prerelease detection for > and <", #794), where 23.0 did not.
  switch (op_) {
    case Op::Compatible:
    case Op::Equal:
    case Op::LessEqual:
    case Op::GreaterEqual:
    case Op::Less:
    case Op::Greater:
    case Op::Arbitrary:
      return version_.is_prerelease();
    case Op::NotEqual:
      break;
  }
  return false;
}

bool Specifier::matches(const Version& v) const {
  using pep440::compare_versions;
  using pep440::same_base;
  switch (op_) {
    case Op::Compatible:
      // PEP 440 "Compatible release": >=V.N and ==V.*.
      return compare_versions(v, version_, false) >= 0 && pep440::prefix_matches(v, prefix_);
    case Op::Equal:
    case Op::NotEqual: {
      bool equal;
      if (wildcard_) {
        // PEP 440 "Version matching", prefix form: the candidate's local label is ignored.
        equal = pep440::prefix_matches(v, version_);
      } else {
        // PEP 440 "Version matching": a clause without a local label ignores the candidate's one.
        equal = compare_versions(v, version_, version_.has_local()) == 0;
      }
      return (op_ == Op::Equal) == equal;
    }
    case Op::LessEqual:
      // PEP 440 "Inclusive ordered comparison": on the public version.
      return compare_versions(v, version_, false) <= 0;
    case Op::GreaterEqual:
      return compare_versions(v, version_, false) >= 0;
    case Op::Less:
      // PEP 440 "Exclusive ordered comparison": <V excludes pre-releases of V itself unless V is one.
      if (compare_versions(v, version_, true) >= 0) return false;
      return version_.is_prerelease() || !v.is_prerelease() || !same_base(v, version_);
    case Op::Greater:
      // >V excludes post-releases of V unless V is one, and V's local versions.
      if (compare_versions(v, version_, true) <= 0) return false;
      if (!version_.is_postrelease() && v.is_postrelease() && same_base(v, version_)) return false;
      return !(v.has_local() && same_base(v, version_));
    case Op::Arbitrary: {
      // PEP 440 "Arbitrary equality": packaging compares str(candidate) with the text, ignoring case.
      LowerTextMatcher m(arbitrary_);
      pep440::write_version(v, m);
      return m.matched();
    }
  }
  return false;
}

std::string Specifier::str() const {
  std::string out(op_text(op_));
  out += version_text_;
  return out;
}

bool operator==(const Specifier& a, const Specifier& b) {
  if (a.op_ != b.op_) return false;
  // packaging's _canonical_spec: canonicalize_version of the text, which strips trailing ".0"s
  // except for ~= and leaves text that is no version (wildcards, odd ===) as written.
  auto canonical = [](const Specifier& s) {
    std::optional<Version> v;
    if (s.op_ == Specifier::Op::Arbitrary) {
      v = Version::try_parse(s.arbitrary_);
    } else if (!s.wildcard_) {
      v = s.version_;
    }
    if (!v) return s.version_text_;
    std::string out;
    pep440::FormatOptions options;
    options.strip_trailing_zeros = s.op_ != Specifier::Op::Compatible;
    pep440::write_version(*v, [&](std::string_view piece) { out.append(piece); }, options);
    return out;
  };
  return canonical(a) == canonical(b);
}

}  // namespace thoth
