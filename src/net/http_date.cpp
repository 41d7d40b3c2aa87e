// RFC 9110 §5.6.7 HTTP-date: recipients accept all three forms a server may send,
//   IMF-fixdate   Sun, 06 Nov 1994 08:49:37 GMT
//   RFC 850       Sunday, 06-Nov-94 08:49:37 GMT
//   asctime       Sun Nov  6 08:49:37 1994
// parsed here rather than by libcurl, so that reading the cache never loads the network library.
#include <array>
#include <charconv>
#include <vector>

#include "net/cache_control.hpp"

namespace thoth::net {
namespace {

bool number(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::optional<int> month_of(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i) {
    if (s == kMonths[static_cast<std::size_t>(i)]) return i + 1;
  }
  return std::nullopt;
}

// "08:49:37" -> seconds of the day.
std::optional<int> clock_of(std::string_view s) {
  int h = 0, m = 0, sec = 0;
  if (s.size() != 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
  if (!number(s.substr(0, 2), h) || !number(s.substr(3, 2), m) || !number(s.substr(6, 2), sec)) return std::nullopt;
  if (h > 23 || m > 59 || sec > 60) return std::nullopt;  // 60: a leap second
  return h * 3600 + m * 60 + sec;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> unix_time(int year, int month, int day, int seconds) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || day < 1 || day > kDays[static_cast<std::size_t>(month - 1)]) return std::nullopt;
  return days_from_civil(year, month, day) * 86400 + seconds;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  const std::vector<std::string_view> w = words(text);  // surrounding and repeated spaces do not matter
  int day = 0, year = 0;
  std::optional<int> month, clock;
  if (w.size() == 6 && w[0].size() == 4 && w[0].back() == ',' && w[5] == "GMT") {
    // IMF-fixdate: day-name "," SP day SP month SP year SP time SP "GMT"
    month = month_of(w[2]);
    clock = clock_of(w[4]);
    if (!number(w[1], day) || w[1].size() != 2 || !number(w[3], year) || w[3].size() != 4) return std::nullopt;
  } else if (w.size() == 4 && w[0].size() > 4 && w[0].back() == ',' && w[3] == "GMT") {
    // RFC 850: day-name-l "," SP dd-mon-yy SP time SP "GMT"; a two-digit year more than 50 years
    // ahead is in the past century (RFC 9110 §5.6.7).
    const std::string_view d = w[1];
    if (d.size() != 9 || d[2] != '-' || d[6] != '-' || !number(d.substr(0, 2), day) || !number(d.substr(7, 2), year)) {
      return std::nullopt;
    }
    month = month_of(d.substr(3, 3));
    year += year < 70 ? 2000 : 1900;
    clock = clock_of(w[2]);
  } else if (w.size() == 5 && w[0].size() == 3) {
    // asctime: day-name SP month SP ( 2DIGIT / ( SP DIGIT )) SP time SP year
    month = month_of(w[1]);
    clock = clock_of(w[3]);
    if (!number(w[2], day) || w[2].size() > 2 || !number(w[4], year) || w[4].size() != 4) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!month || !clock) return std::nullopt;
  return unix_time(year, *month, day, *clock);
}

}  // namespace thoth::net
