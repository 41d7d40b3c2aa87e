// The TOML and JSON text helpers the writers rely on.
#include <gtest/gtest.h>

#include "lock/json_out.hpp"
#include "lock/toml_out.hpp"
#include "thoth/lock.hpp"

namespace thoth::lock_detail {
namespace {

TEST(TomlText, Strings) {
  EXPECT_EQ(toml_string("plain \"double\""), "'plain \"double\"'");
  EXPECT_EQ(toml_string("it's"), "\"it's\"");
  EXPECT_EQ(toml_string("a\nb\\c\x01"), "\"a\\nb\\\\c\\u0001\"");
  EXPECT_EQ(toml_key("sha256"), "sha256");
  EXPECT_EQ(toml_key("a.b"), "'a.b'");
}

TEST(TomlText, UtcDateTimes) {
  EXPECT_EQ(toml_utc_datetime("2024-02-01T10:00:00.123456Z"), "2024-02-01T10:00:00.123456Z");
  EXPECT_EQ(toml_utc_datetime("2024-02-01T10:00:00+00:00"), "2024-02-01T10:00:00Z");
  EXPECT_EQ(toml_utc_datetime("2024-03-01 00:30:00+01:00"), "2024-02-29T23:30:00Z");
  EXPECT_EQ(toml_utc_datetime("2023-12-31T23:00:00.5-02:00"), "2024-01-01T01:00:00.5Z");
  EXPECT_EQ(toml_utc_datetime("2024-02-01T10:00:00"), "2024-02-01T10:00:00Z");
  EXPECT_EQ(toml_utc_datetime("2024-02-01"), std::nullopt);
  EXPECT_EQ(toml_utc_datetime("2024-13-01T10:00:00Z"), std::nullopt);
  EXPECT_EQ(toml_utc_datetime("2024-02-01T10:00:00Zjunk"), std::nullopt);
}

TEST(JsonText, PythonCompatibleLayout) {
  std::string out = "prefix:";
  JsonWriter w(out);
  w.begin_object();
  w.key("s");
  w.string("\"\\\n\x1f\xC3\xA9/");
  w.key("empty_list");
  w.begin_array();
  w.end_array();
  w.key("empty_obj");
  w.begin_object();
  w.end_object();
  w.key("list");
  w.begin_array();
  w.boolean(true);
  w.number("3");
  w.null();
  w.begin_object();
  w.key("k\"");
  w.begin_array();
  w.string("");
  w.end_array();
  w.end_object();
  w.begin_array();
  w.end_array();
  w.end_array();
  w.end_object();
  EXPECT_EQ(out,
            "prefix:{\n"
            "  \"s\": \"\\\"\\\\\\n\\u001f\xC3\xA9/\",\n"
            "  \"empty_list\": [],\n"
            "  \"empty_obj\": {},\n"
            "  \"list\": [\n"
            "    true,\n"
            "    3,\n"
            "    null,\n"
            "    {\n"
            "      \"k\\\"\": [\n"
            "        \"\"\n"
            "      ]\n"
            "    },\n"
            "    []\n"
            "  ]\n"
            "}");
}

TEST(JsonText, ScalarDocument) {
  std::string out;
  JsonWriter w(out);
  w.string("a");
  EXPECT_EQ(out, "\"a\"");
}

TEST(LockFormatNames, ParseAndPrint) {
  for (LockFormat f : {LockFormat::requirements, LockFormat::pylock, LockFormat::report})
    EXPECT_EQ(parse_lock_format(lock_format_name(f)), f);
  EXPECT_EQ(parse_lock_format("toml"), std::nullopt);
}

// The escaper skips plain runs 16 bytes at a time: every escaped character, at every offset of a long
// string (both sides of a block boundary, in the tail shorter than a block), comes out as Python's
// json.dumps(ensure_ascii=False) writes it.
TEST(JsonText, EscapesAtEveryOffsetOfLongStrings) {
  auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c == '\b') out += "\\b";
      else if (c == '\f') out += "\\f";
      else if (u < 0x20) out += "\\u00" + std::string(1, "0123456789abcdef"[u >> 4]) + "0123456789abcdef"[u & 0xf];
      else out += c;
    }
    return out + "\"";
  };
  const std::string specials = std::string("\"\\\n\r\t\b\f\x01\x1f", 9) + std::string(1, '\0');
  for (std::size_t length : {1u, 15u, 16u, 17u, 33u, 70u}) {
    for (std::size_t at = 0; at < length; ++at) {
      for (char special : specials) {
        std::string text(length, 'x');
        text[length - 1] = '\xC3';  // high bytes (UTF-8) and ' ', '!', '#' (next to '"') pass through
        if (length > 2) text[length - 2] = ' ';
        if (length > 3) text[0] = '#';
        text[at] = special;
        std::string got;
        append_json_string(got, text);
        ASSERT_EQ(got, reference(text)) << "length " << length << ", escape at " << at;
      }
    }
  }
  std::string two;
  append_json_string(two, std::string(40, '"'));
  EXPECT_EQ(two, reference(std::string(40, '"')));
}

}  // namespace
}  // namespace thoth::lock_detail
