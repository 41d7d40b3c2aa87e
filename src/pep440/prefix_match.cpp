#include "pep440/prefix_match.hpp"

#include <string>

#include "pep440/version_format.hpp"

namespace thoth::pep440 {

namespace {

// PEP 440 "Version matching" compares versions as sequences of components. packaging 25.0 gets them
// from the canonical text, trailing zeros kept (23.1, "Handle prefix match with zeros at end of prefix
// correctly", #674), by splitting off the epoch as an item of its own ("0" when there is none: 24.0,
// "Do specifier matching correctly when the specifier contains an epoch number and has more components
// than the version", #683), then on '.', with an item like "2a1" split into "2", "a1". So the items are
// the epoch, the release numbers, then one each for the pre, post and dev parts. Token is one item
// without building strings; two tokens are equal exactly when packaging's items are equal strings.
struct Token {
  enum Kind : std::uint8_t { Number, Pre, Post, Dev };
  Kind kind = Number;
  std::uint64_t value = 0;  // the number (a field of its version)
  int pre_kind = -1;        // Pre: PreKind
};

bool same_token(const Version& a, const Token& x, const Version& b, const Token& y) {
  return x.kind == y.kind && x.pre_kind == y.pre_kind && compare_numbers(a, x.value, b, y.value) == 0;
}

class Tokens {
 public:
  explicit Tokens(const Version& v) : v_(v) {
    size_ = release_length() + (v.pre() ? 1 : 0) + (v.post() ? 1 : 0) + (v.dev() ? 1 : 0);
  }

  std::size_t size() const { return size_; }
  // The leading all-digit items (packaging's takewhile(str.isdigit)): the epoch and the release.
  std::size_t release_length() const { return 1 + v_.release().size(); }

  Token operator[](std::size_t i) const {
    if (i == 0) return Token{Token::Number, v_.epoch()};
    if (i < release_length()) return Token{Token::Number, v_.release()[i - 1]};
    std::size_t j = i - release_length();
    if (v_.pre()) {
      if (j == 0) return Token{Token::Pre, v_.pre()->number, static_cast<int>(v_.pre()->kind)};
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
  std::size_t size_ = 0;
};

}  // namespace

bool prefix_matches(const Version& candidate, const Version& spec) {
  // The candidate's release is zero-padded to the spec's release length, then its first len(spec)
  // items must equal the spec's items (so "==1.0.*" matches 1, 1.0.0 and 1.0a1, not 1.1).
  Tokens p(candidate);
  Tokens s(spec);
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

Version compatible_prefix(const Version& spec) {
  // packaging drops the suffix items and then the last release number of the split version. It splits
  // the text as written, so unnormalised spellings ("~=v1.0", "~=1.0.r1", "~=1.0-BETA1") give other
  // prefixes, which differ between packaging 23 and 25 (25 turns "~=v1.0" into "==0!v1.*", matching
  // nothing). PEP 440 "Normalization" makes those spellings the same version, so thoth reads the
  // normal form: a deliberate difference (man/thoth.1, STANDARDS).
  std::string prefix = spec.number_text(spec.epoch()) + "!";
  for (std::size_t i = 0; i + 1 < spec.release().size(); ++i) {
    if (i) prefix += '.';
    prefix += spec.number_text(spec.release()[i]);
  }
  return Version::parse(prefix);
}

}  // namespace thoth::pep440
