#include "pep440/version_parser.hpp"

#include <algorithm>

#include "pep440/text.hpp"

namespace thoth {

using base::ascii_lower;
using pep440::is_separator;

char VersionParser::at(std::size_t i) {
  furthest_ = std::max(furthest_, i);
  return i < s_.size() ? s_[i] : '\0';
}

void VersionParser::skip_space() { pos_ = pep440::skip_space(s_, pos_); }

void VersionParser::fail(Failure f, std::size_t pos) {
  failure_ = f;
  error_pos_ = std::min(pos, s_.size());
}

void VersionParser::fail_unexpected() {
  at(pos_);
  fail(Failure::Unexpected, furthest_);
}

std::string VersionParser::error() const {
  switch (failure_) {
    case Failure::ShortRelease:
      return "~= needs a release of at least two numbers (like ~=2.2) at position " +
             std::to_string(error_pos_);
    case Failure::Unexpected:
    case Failure::None:
      break;
  }
  return pep440::unexpected_at(s_, error_pos_);
}

bool VersionParser::number(std::uint64_t& out) {
  // PEP 440 sets no bound (packaging's numbers are Python ints): a number from 2^63 up is kept as its
  // digits in the version being parsed (Version::is_big).
  constexpr std::uint64_t kSmallMax = Version::kBigNumber - 1;
  std::size_t start = pos_;
  std::uint64_t value = 0;
  bool big = false;
  while (base::is_ascii_digit(at(pos_))) {
    auto d = static_cast<std::uint64_t>(s_[pos_] - '0');
    if (!big && value > (kSmallMax - d) / 10) big = true;
    if (!big) value = value * 10 + d;
    ++pos_;
  }
  if (pos_ == start) return false;
  if (!big) {
    out = value;
    return true;
  }
  std::string_view digits = s_.substr(start, pos_ - start);
  digits.remove_prefix(digits.find_first_not_of('0'));  // not all zeros: the value passed 2^63
  out = version_->bigs_.add(std::string(digits));
  return true;
}

bool VersionParser::require_number(std::uint64_t& out) {
  if (number(out)) return true;
  fail_unexpected();
  return false;
}

// Length of `lower_word` if the text at p spells it in any case, else 0.
std::size_t VersionParser::match_word(std::size_t p, std::string_view lower_word) {
  for (std::size_t k = 0; k < lower_word.size(); ++k) {
    if (ascii_lower(at(p + k)) != lower_word[k]) return 0;
  }
  return lower_word.size();
}

// Byte length of one character of a local label at i: [a-z0-9] in any case, plus the four non-ASCII
// letters that Python's IGNORECASE [a-z] also matches (U+0130, U+0131, U+017F, U+212A). 0 if none.
std::size_t VersionParser::local_char(std::size_t i) {
  auto c = static_cast<unsigned char>(at(i));
  if (base::is_ascii_digit(static_cast<char>(c)) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return 1;
  // Continuation bytes are read without at(): an error should point at the character's first byte.
  auto next = [&](std::size_t k) { return i + k < s_.size() ? static_cast<unsigned char>(s_[i + k]) : 0u; };
  if (c == 0xC4 && (next(1) == 0xB0 || next(1) == 0xB1)) return 2;
  if (c == 0xC5 && next(1) == 0xBF) return 2;
  if (c == 0xE2 && next(1) == 0x84 && next(2) == 0xAA) return 3;
  return 0;
}

// PEP 440 "Pre-release spelling": a, b, c, rc, alpha, beta, pre, preview in any case, optionally
// preceded and followed by one of '.', '-', '_'; a missing number means 0.
bool VersionParser::parse_pre(Version& v) {
  struct Label {
    std::string_view word;
    PreKind kind;
  };
  // Longest first: a shorter word that is a prefix of a longer one ("a" of "alpha") can never be
  // followed by the rest of the longer word, so the longest match is the one the regex ends up with.
  static constexpr Label kLabels[] = {
      {"preview", PreKind::Rc}, {"alpha", PreKind::Alpha}, {"beta", PreKind::Beta},
      {"pre", PreKind::Rc},     {"rc", PreKind::Rc},       {"a", PreKind::Alpha},
      {"b", PreKind::Beta},     {"c", PreKind::Rc},
  };
  std::size_t p = pos_;
  if (is_separator(at(p))) ++p;
  for (const Label& label : kLabels) {
    if (std::size_t len = match_word(p, label.word)) {
      pos_ = p + len;
      if (is_separator(at(pos_))) ++pos_;
      std::uint64_t n = 0;
      number(n);
      v.pre_ = PreRelease{label.kind, n};
      return true;
    }
  }
  return true;
}

// PEP 440 "Post-release spelling": post, rev, r with optional separators and number, or the
// implicit form "-N".
bool VersionParser::parse_post(Version& v) {
  std::uint64_t n = 0;
  if (at(pos_) == '-' && base::is_ascii_digit(at(pos_ + 1))) {
    ++pos_;
    number(n);
    v.post_ = n;
    return true;
  }
  std::size_t p = pos_;
  if (is_separator(at(p))) ++p;
  for (std::string_view word : {std::string_view("post"), std::string_view("rev"), std::string_view("r")}) {
    if (std::size_t len = match_word(p, word)) {
      pos_ = p + len;
      if (is_separator(at(pos_))) ++pos_;
      number(n);
      v.post_ = n;
      return true;
    }
  }
  return true;
}

// PEP 440 "Development release spelling": dev with optional separators and number.
bool VersionParser::parse_dev(Version& v) {
  std::size_t p = pos_;
  if (is_separator(at(p))) ++p;
  if (std::size_t len = match_word(p, "dev")) {
    pos_ = p + len;
    if (is_separator(at(pos_))) ++pos_;
    std::uint64_t n = 0;
    number(n);
    v.dev_ = n;
  }
  return true;
}

// PEP 440 "Local version identifiers" and "Local version segments": '+' then alphanumeric segments
// separated by '.', '-' or '_' (all normalised to '.'); all-digit segments are numbers, others are
// lower-cased strings.
bool VersionParser::parse_local(Version& v) {
  ++pos_;  // '+'
  for (;;) {
    std::size_t start = pos_;
    bool digits = true;
    while (std::size_t len = local_char(pos_)) {
      digits = digits && len == 1 && base::is_ascii_digit(s_[pos_]);
      pos_ += len;
    }
    if (pos_ == start) {
      fail_unexpected();
      return false;
    }
    if (digits) {
      std::size_t end = pos_;
      pos_ = start;
      std::uint64_t n = 0;
      number(n);
      pos_ = end;
      v.local_.emplace_back(n);
    } else {
      std::string segment;
      segment.reserve(pos_ - start);
      for (std::size_t i = start; i < pos_;) {
        auto c = static_cast<unsigned char>(s_[i]);
        if (c < 0x80) {
          segment += ascii_lower(s_[i++]);
        } else if (c == 0xE2) {  // KELVIN SIGN: str.lower() gives 'k'
          segment += 'k';
          i += 3;
        } else if (s_[i + 1] == '\xB0') {  // LATIN CAPITAL I WITH DOT ABOVE: lower() is "i\u0307"
          segment += "i\xCC\x87";
          i += 2;
        } else {  // dotless i and long s are already lower case
          segment.append(s_.substr(i, 2));
          i += 2;
        }
      }
      v.local_.emplace_back(std::move(segment));
    }
    if (is_separator(at(pos_)) && local_char(pos_ + 1) != 0) {
      ++pos_;
      continue;
    }
    return true;
  }
}

bool VersionParser::parse(const Options& options, Version& v, bool* wildcard) {
  if (wildcard) *wildcard = false;
  version_ = &v;
  // PEP 440 "Preceding v character".
  if (ascii_lower(at(pos_)) == 'v') ++pos_;
  std::uint64_t n = 0;
  if (!require_number(n)) return false;
  // PEP 440 "Version epochs": N! before the release.
  if (at(pos_) == '!') {
    ++pos_;
    v.epoch_ = n;
    if (!require_number(n)) return false;
  }
  // PEP 440 "Final releases": N(.N)*; a '.' followed by a digit can only continue the release.
  v.release_.push_back(n);
  while (at(pos_) == '.' && base::is_ascii_digit(at(pos_ + 1))) {
    ++pos_;
    if (!require_number(n)) return false;
    v.release_.push_back(n);
  }
  if (v.release_.size() < options.min_release) {
    fail(Failure::ShortRelease, pos_);
    return false;
  }
  // PEP 440 "Version matching": a trailing ".*" replaces every suffix.
  if (options.allow_wildcard && at(pos_) == '.' && at(pos_ + 1) == '*') {
    pos_ += 2;
    if (wildcard) *wildcard = true;
    return true;
  }
  if (!parse_pre(v) || !parse_post(v) || !parse_dev(v)) return false;
  if (options.allow_local && at(pos_) == '+') return parse_local(v);
  return true;
}

}  // namespace thoth
