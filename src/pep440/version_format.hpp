// packaging's normalised spelling of a version, written piece by piece to a sink so that callers can
// build a string or compare against text without allocating.
#pragma once

#include <charconv>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "thoth/pep440.hpp"

namespace thoth::pep440 {

// Number of release segments once trailing zeros are dropped, keeping at least one ("1.0.0" -> 1),
// as packaging's _cmpkey and canonicalize_version do.
inline std::size_t significant_release_length(std::span<const std::uint64_t> release) {
  std::size_t n = release.size();
  while (n > 1 && release[n - 1] == 0) --n;
  return n;
}

inline std::string_view pre_label(PreKind kind) {
  switch (kind) {
    case PreKind::Alpha:
      return "a";
    case PreKind::Beta:
      return "b";
    case PreKind::Rc:
      break;
  }
  return "rc";
}

struct FormatOptions {
  bool strip_trailing_zeros = false;  // canonicalize_version's default
  bool with_local = true;
};

// PEP 440 "Normalization": [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], as str(Version) prints it.
template <class Sink>
void write_version(const Version& v, Sink&& sink, FormatOptions options = {}) {
  char buf[24];
  auto number = [&](std::uint64_t n) {
    if (Version::is_big(n)) {
      sink(v.big_digits(n));
      return;
    }
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    sink(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
  };
  if (v.epoch() != 0) {
    number(v.epoch());
    sink(std::string_view("!"));
  }
  std::span<const std::uint64_t> release = v.release();
  std::size_t n = options.strip_trailing_zeros ? significant_release_length(release) : release.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i) sink(std::string_view("."));
    number(release[i]);
  }
  if (v.pre()) {
    sink(pre_label(v.pre()->kind));
    number(v.pre()->number);
  }
  if (v.post()) {
    sink(std::string_view(".post"));
    number(*v.post());
  }
  if (v.dev()) {
    sink(std::string_view(".dev"));
    number(*v.dev());
  }
  if (options.with_local && v.has_local()) {
    sink(std::string_view("+"));
    for (std::size_t i = 0; i < v.local().size(); ++i) {
      if (i) sink(std::string_view("."));
      const LocalSegment& seg = v.local()[i];
      if (const auto* num = std::get_if<std::uint64_t>(&seg)) {
        number(*num);
      } else {
        sink(std::string_view(std::get<std::string>(seg)));
      }
    }
  }
}

// Number field x of version a against number field y of version b (PEP 440 numbers are unbounded): a
// big number (Version::is_big) is above every small one; two big ones compare by their digits, which
// have no leading zeros, so by length first.
inline std::strong_ordering compare_numbers(const Version& a, std::uint64_t x, const Version& b, std::uint64_t y) {
  if (!Version::is_big(x) || !Version::is_big(y)) return x <=> y;
  std::string_view dx = a.big_digits(x);
  std::string_view dy = b.big_digits(y);
  if (dx.size() != dy.size()) return dx.size() <=> dy.size();
  return dx.compare(dy) <=> 0;
}

// Three-way comparison of packaging's _cmpkey; with_local=false compares the public versions.
std::strong_ordering compare_versions(const Version& a, const Version& b, bool with_local);

// Version(a.base_version) == Version(b.base_version): same epoch and release up to trailing zeros.
bool same_base(const Version& a, const Version& b);

}  // namespace thoth::pep440
