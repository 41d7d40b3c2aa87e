#include "pep440/prefix_match.hpp"

#include <string>
#include <vector>

#include "pep440/text.hpp"
#include "pep440/version_format.hpp"

namespace thoth::pep440 {

namespace {

// PEP 440 "Version matching" compares versions as sequences of components. packaging 23.0 gets them
// by splitting the canonical text on '.' and splitting an item like "2a1" into "2", "a1". The epoch
// is not split off: it stays glued to the first release number ("1!2", or "1!2a1" when that is the
// only release number and a pre-release follows), and such an item does not count as part of the
// release when the shorter release is zero-padded. Token reproduces those items without building
// strings; two tokens are equal exactly when packaging's items are equal strings (same_token).
struct Token {
  enum Kind : std::uint8_t { Number, EpochFirst, Pre, Post, Dev };
  Kind kind = Number;
  std::uint64_t value = 0;   // the number; EpochFirst: the epoch
  std::uint64_t first = 0;   // EpochFirst: the first release number
  int pre_kind = -1;         // Pre, or EpochFirst with a glued pre-release: PreKind
  std::uint64_t pre_n = 0;   // EpochFirst with a glued pre-release: its number
};

// Token x of version a equals token y of version b: numbers are fields of their own version.
bool same_token(const Version& a, const Token& x, const Version& b, const Token& y) {
  return x.kind == y.kind && x.pre_kind == y.pre_kind && compare_numbers(a, x.value, b, y.value) == 0 &&
         compare_numbers(a, x.first, b, y.first) == 0 && compare_numbers(a, x.pre_n, b, y.pre_n) == 0;
}

class Tokens {
 public:
  Tokens(const Version& v, bool strip_trailing_zeros)
      : v_(v),
        k_(strip_trailing_zeros ? significant_release_length(v.release()) : v.release().size()),
        glued_(v.epoch() != 0),
        pre_glued_(glued_ && k_ == 1 && v.pre().has_value()) {
    size_ = k_ + (v.pre() && !pre_glued_ ? 1 : 0) + (v.post() ? 1 : 0) + (v.dev() ? 1 : 0);
  }

  std::size_t size() const { return size_; }
  // Leading all-digit items: packaging's takewhile(str.isdigit).
  std::size_t release_length() const { return glued_ ? 0 : k_; }

  Token operator[](std::size_t i) const {
    if (i < k_) {
      if (i == 0 && glued_) {
        Token t{Token::EpochFirst, v_.epoch(), v_.release()[0]};
        if (pre_glued_) {
          t.pre_kind = static_cast<int>(v_.pre()->kind);
          t.pre_n = v_.pre()->number;
        }
        return t;
      }
      return Token{Token::Number, v_.release()[i]};
    }
    std::size_t j = i - k_;
    if (v_.pre() && !pre_glued_) {
      if (j == 0) {
        Token t{Token::Pre, v_.pre()->number};
        t.pre_kind = static_cast<int>(v_.pre()->kind);
        return t;
      }
      --j;
    }
    if (v_.post()) {
      if (j == 0) return Token{Token::Post, *v_.post()};
      --j;
    }
    return Token{Token::Dev, v_.dev().value_or(0)};
  }

 private:
  const Version& v_;
  std::size_t k_;
  bool glued_;
  bool pre_glued_;
  std::size_t size_ = 0;
};

// packaging's _prefix_regex ^([0-9]+)((?:a|b|c|rc)[0-9]+)$ (case-sensitive): the length of the
// leading digits when `item` has that shape, else 0.
std::size_t pre_split_point(std::string_view item) {
  std::size_t d = 0;
  while (d < item.size() && base::is_ascii_digit(item[d])) ++d;
  if (d == 0) return 0;
  std::size_t p = d;
  if (item.substr(p, 2) == "rc") {
    p += 2;
  } else if (p < item.size() && (item[p] == 'a' || item[p] == 'b' || item[p] == 'c')) {
    p += 1;
  } else {
    return 0;
  }
  if (p == item.size()) return 0;
  for (; p < item.size(); ++p) {
    if (!base::is_ascii_digit(item[p])) return 0;
  }
  return d;
}

// packaging's _is_not_suffix, case-sensitive on the text as written.
bool is_suffix(std::string_view item) {
  for (std::string_view prefix : {"dev", "a", "b", "rc", "post"}) {
    if (item.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace

bool prefix_matches(const Version& candidate, const Version& spec) {
  // The candidate is canonicalised with trailing ".0"s stripped, the spec without stripping; the
  // candidate's release is zero-padded to the spec's release length, then the first len(spec)
  // items must equal the spec's items (so "==1.0.*" matches 1, 1.0.0 and 1.0a1, not 1.1).
  Tokens p(candidate, true);
  Tokens s(spec, false);
  std::size_t lp = p.release_length();
  std::size_t ls = s.release_length();
  std::size_t pad = ls > lp ? ls - lp : 0;
  if (p.size() + pad < s.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    Token t = i < lp ? p[i] : (i < lp + pad ? Token{} : p[i - pad]);
    if (!same_token(candidate, t, spec, s[i])) return false;
  }
  return true;
}

Version compatible_prefix(std::string_view text) {
  // PEP 440 "Compatible release": ~=V.N means >=V.N, ==V.*. packaging finds V on the text as
  // written: split on '.', split "2a1"-like items, keep items up to the first that starts like a
  // suffix (dev, a, b, rc, post), and drop the last kept one. Spellings such as "2.2.c1" or "2.2.r1"
  // therefore keep more than the release, and we reproduce that.
  std::vector<std::string_view> items;
  for (std::size_t start = 0;;) {
    std::size_t dot = text.find('.', start);
    std::string_view item = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (std::size_t d = pre_split_point(item)) {
      items.push_back(item.substr(0, d));
      items.push_back(item.substr(d));
    } else {
      items.push_back(item);
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  std::size_t kept = 0;
  while (kept < items.size() && !is_suffix(items[kept])) ++kept;
  std::string prefix;
  for (std::size_t i = 0; i + 1 < kept; ++i) {
    if (i) prefix += '.';
    prefix.append(items[i]);
  }
  if (auto v = Version::try_parse(prefix)) return *v;
  // Not reachable for text the ~= grammar accepts (cutting a valid version before a '.' leaves a
  // valid version, and at least two items are kept); fall back to the PEP's rule.
  Version parsed = Version::parse(text);
  std::string fallback = parsed.number_text(parsed.epoch()) + "!";
  for (std::size_t i = 0; i + 1 < parsed.release().size(); ++i) {
    if (i) fallback += '.';
    fallback += parsed.number_text(parsed.release()[i]);
  }
  return Version::parse(fallback);
}

}  // namespace thoth::pep440
