// Version::encode / Version::decode: the binary form kept in thoth's caches.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "thoth/pep440.hpp"

namespace thoth {
namespace {

const std::vector<std::string> kSamples = {
    "0",        "1.0",           "1.0.0",          "2!1.2.3.4.5.6.7",       "1.0a1",         "1.0b2.post3.dev4",
    "1.0rc10",  "1.0.post0",     "1.0.dev0",       "1.0+local.7.abc",       "1.0+0.1a",      "18446744073709551615.1",
    "1!0",      "3.11.4+ubuntu", "2024.10.1",      "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20",
    // Numbers past 2^63 (issue 19 defect 11) in every field.
    "18446744073709551616.1", "9223372036854775808",
    "99999999999999999999999!1.2.3.4.100000000000000000000000000000.0a18446744073709551616.post123456789012345678901"
    ".dev99999999999999999999+x.100000000000000000000",
};

TEST(VersionBinary, RoundTripsEveryPart) {
  for (const std::string& text : kSamples) {
    const Version v = Version::parse(text);
    std::string bytes;
    v.encode(bytes);
    std::string_view in = bytes;
    const std::optional<Version> back = Version::decode(in);
    ASSERT_TRUE(back) << text;
    EXPECT_TRUE(in.empty()) << text;
    EXPECT_EQ(back->str(), v.str()) << text;
    EXPECT_EQ(*back, v) << text;
    EXPECT_EQ(back->hash(), v.hash()) << text;
    EXPECT_TRUE(std::ranges::equal(back->release(), v.release())) << text;  // trailing zeros kept
    EXPECT_EQ(back->local(), v.local()) << text;
  }
}

TEST(VersionBinary, ReadsOneVersionAndAdvances) {
  std::string bytes;
  Version::parse("1.0rc1").encode(bytes);
  Version::parse("2!3+x").encode(bytes);
  bytes += "tail";
  std::string_view in = bytes;
  EXPECT_EQ(Version::decode(in)->str(), "1.0rc1");
  EXPECT_EQ(Version::decode(in)->str(), "2!3+x");
  EXPECT_EQ(in, "tail");
}

TEST(VersionBinary, TruncatedOrDamagedBytesAreRefused) {
  for (const std::string& text : kSamples) {
    std::string bytes;
    Version::parse(text).encode(bytes);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      std::string_view in(bytes.data(), n);
      EXPECT_FALSE(Version::decode(in)) << text << " cut at " << n;
    }
  }
  const std::string big_field = std::string(9, '\x80') + "\x01";  // varint of 2^63: a big number's field
  for (std::string bad : {std::string("\x40\x01\x01", 3),        // unknown flag
                          std::string("\x00\x01", 2) + big_field,  // a big field without digits
                          std::string("\x20\x01", 2) + big_field + "\x01\x14" + std::string(20, '0'),  // zeros
                          std::string("\x20\x01", 2) + big_field + "\x01\x13" + "9223372036854775807",  // < 2^63
                          std::string("\x20\x01", 2) + big_field + "\x01\x14" + "1844674407370955161x",  // not digits
                          std::string("\x20\x01", 2) + big_field + "\x80\x01",  // digits cut off
                          std::string("\x00\x00", 2),            // empty release
                          std::string("\x02\x01\x01\x07\x01", 5),  // pre-release kind out of range
                          std::string("\x10\x01\x01\x01s\x02+x", 8),  // local segment with '+'
                          std::string("\x10\x01\x01\x01s\x02" "12", 8),  // all-digit word
                          std::string("\x00\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 12)}) {  // 2^64
    std::string_view in = bad;
    EXPECT_FALSE(Version::decode(in)) << bad.size();
  }
  // The field names the digits that follow.
  std::string good = std::string("\x20\x01", 2) + big_field + "\x01\x14" + "18446744073709551616";
  std::string_view in = good;
  ASSERT_TRUE(Version::decode(in));
  in = good;
  EXPECT_EQ(Version::decode(in)->str(), "18446744073709551616");
  // Random bytes never crash; whatever decodes is a valid version.
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string junk(rng() % 24, '\0');
    for (char& c : junk) c = static_cast<char>(rng() % 4 == 0 ? rng() % 3 : rng());
    std::string_view in = junk;
    if (auto v = Version::decode(in)) {
      EXPECT_EQ(Version::parse(v->str()), *v) << v->str();
    }
  }
}

}  // namespace
}  // namespace thoth
