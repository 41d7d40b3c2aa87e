// JSON texts read by every module (index pages, the target file, the interpreter probe's answer,
// installation reports, mirror state, knowledge bases, OSV records): one parser, bounded in depth.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>

namespace thoth {

// In-situ parsing (Document::ParseInsitu) decodes strings in place instead of copying each into the
// document's allocator. With RAPIDJSON_SSE2/NEON its string and whitespace scans load whole aligned
// 16-byte blocks, so the block holding the terminating NUL may reach up to 15 bytes past it: those
// bytes must belong to the buffer (AddressSanitizer rightly reports the read otherwise). The first NUL
// ends the text. The document points into the buffer: keep the buffer alive as long as the document.
inline std::string padded_json(std::string_view json) {
  std::string buffer;
  buffer.reserve(json.size() + 16);
  buffer.append(json);
  buffer.append(16, '\0');
  return buffer;
}

// The deepest nesting any JSON thoth reads may have. The deepest legitimate documents are OSV records
// (7 levels, plus database_specific objects) and PEP 691 pages (4); a hostile "[[[[..." of 150,000 levels
// would otherwise overflow the stack of a recursive parser, or of any code walking the tree.
inline constexpr unsigned kMaxJsonDepth = 64;

// A parsed document and the buffer its strings point into.
struct JsonDocument {
  std::string buffer;
  rapidjson::Document doc;
};

namespace json_detail {

// A JSON number's text as the document's number: integers typed as rapidjson types them (Int, Uint,
// Int64, Uint64; Double past 64 bits), others converted by std::from_chars, which rounds correctly (as
// kParseFullPrecisionFlag promises) and, beyond the range of a double, gives what Python's float()
// gives: an infinity, or a zero.
inline bool exact_number(rapidjson::Document& doc, std::string_view text) {
  const char* first = text.data();
  const char* last = first + text.size();
  const bool minus = !text.empty() && text.front() == '-';
  if (text.find_first_of(".eE") == std::string_view::npos) {
    if (minus) {
      std::int64_t v = 0;
      if (auto r = std::from_chars(first, last, v); r.ec == std::errc() && r.ptr == last)
        return v >= std::numeric_limits<int>::min() ? doc.Int(static_cast<int>(v)) : doc.Int64(v);
    } else {
      std::uint64_t v = 0;
      if (auto r = std::from_chars(first, last, v); r.ec == std::errc() && r.ptr == last)
        return v <= std::numeric_limits<unsigned>::max() ? doc.Uint(static_cast<unsigned>(v)) : doc.Uint64(v);
    }
  }
  double d = 0;
  const auto r = std::from_chars(first, last, d);
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow or underflow: the power of ten of the first significant digit says which.
    const std::size_t e = text.find_first_of("eE");
    const std::string_view mantissa = text.substr(0, e);
    long long power = 0;
    if (e != std::string_view::npos) {
      std::string_view exponent = text.substr(e + 1);
      const bool negative = !exponent.empty() && exponent.front() == '-';
      if (!exponent.empty() && (exponent.front() == '-' || exponent.front() == '+')) exponent.remove_prefix(1);
      for (char c : exponent) power = std::min(power * 10 + (c - '0'), 1'000'000'000LL);
      if (negative) power = -power;
    }
    const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
    const std::size_t lead = mantissa.find_first_of("123456789");
    if (lead != std::string_view::npos) power += lead < point ? static_cast<long long>(point - lead) - 1
                                                             : -static_cast<long long>(lead - point);
    d = power > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    if (minus) d = -d;
  }
  return doc.Double(d);
}

// Forwards every event to the document, refusing to open a container past the depth bound, so the
// document never holds a tree deeper than kMaxJsonDepth (walking or freeing it cannot recurse deeply).
class DepthLimited {
 public:
  // exact_numbers: numbers arrive as text (kParseNumbersAsStringsFlag) and become exact_number()s.
  DepthLimited(rapidjson::Document& doc, bool exact_numbers) : doc_(doc), exact_numbers_(exact_numbers) {}
  bool too_deep() const { return too_deep_; }

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(std::int64_t i) { return doc_.Int64(i); }
  bool Uint64(std::uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return exact_numbers_ ? exact_number(doc_, std::string_view(s, n)) : doc_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) { return leave() && doc_.EndObject(n); }
  bool StartArray() { return enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return leave() && doc_.EndArray(n); }

 private:
  bool enter() {
    if (++depth_ <= kMaxJsonDepth) return true;
    too_deep_ = true;
    return false;
  }
  bool leave() {
    --depth_;
    return true;
  }

  rapidjson::Document& doc_;
  bool exact_numbers_ = false;
  unsigned depth_ = 0;
  bool too_deep_ = false;
};

}  // namespace json_detail

// Parses `text` into `out` (in situ, into out.buffer). Returns "" on success, else the reason:
// "invalid JSON at offset N: <rapidjson's message>" or "JSON nested deeper than 64 levels". The parser is
// rapidjson's iterative one (its own stack on the heap, not the call stack) and the depth bound keeps
// the document shallow. `Flags` adds rapidjson parse flags (kParseValidateEncodingFlag, ...).
//
// kParseFullPrecisionFlag is not rapidjson's: its full-precision conversion in Debian's rapidjson 1.1.0
// normalises a zero significand with clz(0), undefined behaviour that reads 0e50 or 0.000e-30 as an
// arbitrary number (Tencent/rapidjson issue 1249, fixed after 1.1.0; found by fuzzing knowledge
// bases). Numbers are taken as text instead and converted by json_detail::exact_number.
template <unsigned Flags = rapidjson::kParseDefaultFlags>
std::string parse_json(std::string_view text, JsonDocument& out) {
  out.buffer = padded_json(text);
  constexpr bool kExact = (Flags & rapidjson::kParseFullPrecisionFlag) != 0;
  constexpr unsigned kNumbers =
      kExact ? (Flags & ~unsigned{rapidjson::kParseFullPrecisionFlag}) | rapidjson::kParseNumbersAsStringsFlag : Flags;
  constexpr unsigned kFlags = kNumbers | rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag;
  rapidjson::Reader reader;
  bool too_deep = false;
  auto generate = [&](rapidjson::Document& doc) {
    rapidjson::InsituStringStream in(out.buffer.data());
    json_detail::DepthLimited limited(doc, kExact);
    reader.Parse<kFlags>(in, limited);
    too_deep = limited.too_deep();
    return !reader.HasParseError();
  };
  out.doc.Populate(generate);
  if (too_deep) return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  if (reader.HasParseError()) {
    return "invalid JSON at offset " + std::to_string(reader.GetErrorOffset()) + ": " +
           rapidjson::GetParseError_En(reader.GetParseErrorCode());
  }
  return "";
}

}  // namespace thoth
