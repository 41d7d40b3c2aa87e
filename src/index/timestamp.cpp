// RFC 3339 timestamps (PEP 700 upload-time, --exclude-newer) as milliseconds since the Unix epoch.
#include <cstdint>

#include "thoth/index.hpp"

namespace thoth {
namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool digits(std::size_t n, int& out) {
    if (pos_ + n > s_.size()) return false;
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
      char c = s_[pos_ + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    pos_ += n;
    return true;
  }
  bool lit(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool done() const { return pos_ == s_.size(); }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void advance() { ++pos_; }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  Reader r(text);
  int year, month, day;
  if (!r.digits(4, year) || !r.lit('-') || !r.digits(2, month) || !r.lit('-') || !r.digits(2, day)) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  if (day > kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0)) return std::nullopt;
  std::int64_t ms = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400000;
  if (r.done()) return ms;  // a bare date: 00:00 UTC

  // RFC 3339 §5.6: full-time = HH:MM:SS[.frac] (Z | ±HH:MM); 't' and ' ' accepted as separators.
  char sep = r.peek();
  if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
  r.advance();
  int hour, minute, second = 0;
  if (!r.digits(2, hour) || !r.lit(':') || !r.digits(2, minute)) return std::nullopt;
  if (r.lit(':') && !r.digits(2, second)) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::int64_t frac_ms = 0;
  if (r.lit('.')) {
    int scale = 100, digit, count = 0;
    while (r.digits(1, digit)) {
      frac_ms += digit * scale;
      scale /= 10;
      ++count;
    }
    if (count == 0) return std::nullopt;
  }
  ms += (static_cast<std::int64_t>(hour) * 3600 + minute * 60 + second) * 1000 + frac_ms;
  if (r.lit('Z') || r.lit('z')) return r.done() ? std::optional<std::int64_t>(ms) : std::nullopt;
  char sign = r.peek();
  if (sign == '+' || sign == '-') {
    r.advance();
    int oh, om = 0;
    if (!r.digits(2, oh)) return std::nullopt;
    if (r.lit(':')) {
      if (!r.digits(2, om)) return std::nullopt;
    } else {
      r.digits(2, om);
    }
    std::int64_t offset = (static_cast<std::int64_t>(oh) * 60 + om) * 60000;
    ms += sign == '+' ? -offset : offset;
    return r.done() ? std::optional<std::int64_t>(ms) : std::nullopt;
  }
  // No offset: PEP 700 times are UTC, and so is a user's --exclude-newer without one.
  return r.done() ? std::optional<std::int64_t>(ms) : std::nullopt;
}

}  // namespace thoth
