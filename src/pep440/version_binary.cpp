// Version::encode / Version::decode: the binary form thoth's caches keep versions in (the parsed
// listing digests of src/index/listing_digest.cpp), so that a warm run does not parse every version
// of every project again. Numbers are LEB128 varints; one flag byte says which parts are present. A
// version with numbers of 2^63 and above (Version::is_big) ends with their digits, which its number
// fields index.
#include <cstdint>

#include "thoth/pep440.hpp"

namespace thoth {
namespace {

enum : std::uint8_t {
  kHasEpoch = 1 << 0,
  kHasPre = 1 << 1,
  kHasPost = 1 << 2,
  kHasDev = 1 << 3,
  kHasLocal = 1 << 4,
  kHasBig = 1 << 5,
  kKnownFlags = (1 << 6) - 1,
};

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(0x80 | (v & 0x7f)));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// False for a truncated number or one that does not fit 64 bits.
bool get_varint(std::string_view& in, std::uint64_t& v) {
  v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return false;
    const auto byte = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    if (shift == 63 && byte > 1) return false;
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// What the parser leaves of a non-numeric local segment: lower-case letters and digits, not only
// digits (those are numbers). The letters include the three non-ASCII spellings the parser keeps of
// the letters Python's case-insensitive [a-z] matches: U+0131 (dotless i), U+017F (long s), and
// "i" + U+0307 (the lower case of U+0130).
bool is_local_word(std::string_view s) {
  bool letter = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'a' && c <= 'z') {
      letter = true;
    } else if (s.substr(i, 2) == "\xC4\xB1" || s.substr(i, 2) == "\xC5\xBF") {
      letter = true;
      ++i;
    } else if (s.substr(i, 2) == "\xCC\x87" && i > 0 && s[i - 1] == 'i') {
      ++i;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return letter;
}

// The digits the parser keeps of a big number: no leading zero, at least 2^63.
bool is_big_digits(std::string_view s) {
  constexpr std::string_view kSmallest = "9223372036854775808";  // 2^63
  if (s.empty() || s.front() == '0') return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return s.size() > kSmallest.size() || (s.size() == kSmallest.size() && s >= kSmallest);
}

}  // namespace

void Version::encode(std::string& out) const {
  std::uint8_t flags = 0;
  if (epoch_ != 0) flags |= kHasEpoch;
  if (pre_) flags |= kHasPre;
  if (post_) flags |= kHasPost;
  if (dev_) flags |= kHasDev;
  if (!local_.empty()) flags |= kHasLocal;
  if (bigs_.size() != 0) flags |= kHasBig;
  out.push_back(static_cast<char>(flags));
  if (epoch_ != 0) put_varint(out, epoch_);
  put_varint(out, release_.size());
  for (std::uint64_t n : release_.view()) put_varint(out, n);
  if (pre_) {
    out.push_back(static_cast<char>(pre_->kind));
    put_varint(out, pre_->number);
  }
  if (post_) put_varint(out, *post_);
  if (dev_) put_varint(out, *dev_);
  if (!local_.empty()) {
    put_varint(out, local_.size());
    for (const LocalSegment& segment : local_) {
      if (const auto* number = std::get_if<std::uint64_t>(&segment)) {
        out.push_back('n');
        put_varint(out, *number);
      } else {
        const std::string& text = std::get<std::string>(segment);
        out.push_back('s');
        put_varint(out, text.size());
        out += text;
      }
    }
  }
  if (bigs_.size() != 0) {
    put_varint(out, bigs_.size());
    for (std::size_t i = 0; i < bigs_.size(); ++i) {
      put_varint(out, bigs_[i].size());
      out += bigs_[i];
    }
  }
}

std::optional<Version> Version::decode(std::string_view& in) {
  if (in.empty()) return std::nullopt;
  const auto flags = static_cast<std::uint8_t>(in.front());
  in.remove_prefix(1);
  if ((flags & ~kKnownFlags) != 0) return std::nullopt;
  Version v(Blank{});
  std::uint64_t n = 0;
  if ((flags & kHasEpoch) && !get_varint(in, v.epoch_)) return std::nullopt;
  std::uint64_t count = 0;
  // A release has at least one number; each takes at least a byte.
  if (!get_varint(in, count) || count == 0 || count > in.size()) return std::nullopt;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (!get_varint(in, n)) return std::nullopt;
    v.release_.push_back(n);
  }
  if (flags & kHasPre) {
    if (in.empty() || static_cast<std::uint8_t>(in.front()) > static_cast<std::uint8_t>(PreKind::Rc)) return std::nullopt;
    const auto kind = static_cast<PreKind>(in.front());
    in.remove_prefix(1);
    if (!get_varint(in, n)) return std::nullopt;
    v.pre_ = PreRelease{kind, n};
  }
  if (flags & kHasPost) {
    if (!get_varint(in, n)) return std::nullopt;
    v.post_ = n;
  }
  if (flags & kHasDev) {
    if (!get_varint(in, n)) return std::nullopt;
    v.dev_ = n;
  }
  if (flags & kHasLocal) {
    if (!get_varint(in, count) || count == 0 || count > in.size()) return std::nullopt;
    for (std::uint64_t i = 0; i < count; ++i) {
      if (in.empty()) return std::nullopt;
      const char type = in.front();
      in.remove_prefix(1);
      if (!get_varint(in, n)) return std::nullopt;
      if (type == 'n') {
        v.local_.emplace_back(n);
      } else if (type == 's' && n <= in.size() && is_local_word(in.substr(0, n))) {
        v.local_.emplace_back(std::string(in.substr(0, n)));
        in.remove_prefix(n);
      } else {
        return std::nullopt;
      }
    }
  }
  if (flags & kHasBig) {
    if (!get_varint(in, count) || count == 0 || count > in.size()) return std::nullopt;
    for (std::uint64_t i = 0; i < count; ++i) {
      if (!get_varint(in, n) || n > in.size() || !is_big_digits(in.substr(0, n))) return std::nullopt;
      v.bigs_.add(std::string(in.substr(0, n)));
      in.remove_prefix(n);
    }
  }
  // Every big number field must name digits that are there.
  auto valid = [&v](std::uint64_t field) { return !is_big(field) || field - kBigNumber < v.bigs_.size(); };
  bool ok = valid(v.epoch_) && (!v.pre_ || valid(v.pre_->number)) && valid(v.post_.value_or(0)) &&
            valid(v.dev_.value_or(0));
  for (std::uint64_t r : v.release_.view()) ok = ok && valid(r);
  for (const LocalSegment& segment : v.local_)
    if (const auto* number = std::get_if<std::uint64_t>(&segment)) ok = ok && valid(*number);
  if (!ok) return std::nullopt;
  return v;
}

}  // namespace thoth
