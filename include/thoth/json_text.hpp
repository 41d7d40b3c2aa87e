// JSON texts read by every module (index pages, the target file, the interpreter probe's answer,
// installation reports, mirror state, knowledge bases, OSV records): one parser, bounded in depth.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cstdint>
#include <string>
#include <string_view>

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

// Forwards every event to the document, refusing to open a container past the depth bound, so the
// document never holds a tree deeper than kMaxJsonDepth (walking or freeing it cannot recurse deeply).
class DepthLimited {
 public:
  explicit DepthLimited(rapidjson::Document& doc) : doc_(doc) {}
  bool too_deep() const { return too_deep_; }

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(std::int64_t i) { return doc_.Int64(i); }
  bool Uint64(std::uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return doc_.RawNumber(s, n, copy); }
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
  unsigned depth_ = 0;
  bool too_deep_ = false;
};

}  // namespace json_detail

// Parses `text` into `out` (in situ, into out.buffer). Returns "" on success, else the reason:
// "invalid JSON at offset N: <rapidjson's message>" or "JSON nested deeper than 64 levels". The parser is
// rapidjson's iterative one (its own stack on the heap, not the call stack) and the depth bound keeps
// the document shallow. `Flags` adds rapidjson parse flags (kParseValidateEncodingFlag, ...).
template <unsigned Flags = rapidjson::kParseDefaultFlags>
std::string parse_json(std::string_view text, JsonDocument& out) {
  out.buffer = padded_json(text);
  constexpr unsigned kFlags = Flags | rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag;
  rapidjson::Reader reader;
  bool too_deep = false;
  auto generate = [&](rapidjson::Document& doc) {
    rapidjson::InsituStringStream in(out.buffer.data());
    json_detail::DepthLimited limited(doc);
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
