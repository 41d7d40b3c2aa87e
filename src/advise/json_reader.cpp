#include "advise/json_reader.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include "thoth/json_text.hpp"

namespace thoth::advisor {
namespace {

// Forwards every event to the document, refusing to open a container past the depth bound. rapidjson's
// reader recurses once per level, so stopping there bounds its stack.
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

}  // namespace

std::string parse_json(std::string_view text, JsonDocument& out) {
  out.buffer = padded_json(text);
  constexpr unsigned kFlags =
      rapidjson::kParseInsituFlag | rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag;
  rapidjson::Reader reader;
  bool too_deep = false;
  auto generate = [&](rapidjson::Document& doc) {
    rapidjson::InsituStringStream in(out.buffer.data());
    DepthLimited limited(doc);
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

std::string_view json_type(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "a value";
}

}  // namespace thoth::advisor
