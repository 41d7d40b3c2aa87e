// RFC 9110 §5.6.7 HTTP-date, all three forms a recipient must accept, against known Unix times.
#include <gtest/gtest.h>

#include "net/cache_control.hpp"

namespace thoth::net {
namespace {

constexpr std::int64_t kRfcExample = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(HttpDate, ThreeFormsOfTheSameInstant) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), kRfcExample);   // IMF-fixdate
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), kRfcExample);  // RFC 850
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), kRfcExample);        // asctime
  EXPECT_EQ(parse_http_date("  Sun, 06 Nov 1994 08:49:37 GMT "), kRfcExample);
}

TEST(HttpDate, CalendarEdges) {
  EXPECT_EQ(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(parse_http_date("Thu, 29 Feb 2024 23:59:59 GMT"), 1709251199);
  EXPECT_EQ(parse_http_date("Fri, 31 Dec 2100 12:00:00 GMT"), 4133937600);
  // RFC 850's two-digit year: a year more than 50 years ahead is in the past century.
  EXPECT_EQ(parse_http_date("Wednesday, 09-Nov-05 10:00:00 GMT"), 1131530400);
}

TEST(HttpDate, MalformedIsNothing) {
  for (const char* bad : {"", "yesterday", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 31 Feb 1994 08:00:00 GMT",
                          "Sun, 06 Nov 94 08:49:37 GMT", "Sun Nov  6 08:49 1994", "0"}) {
    EXPECT_FALSE(parse_http_date(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace thoth::net
