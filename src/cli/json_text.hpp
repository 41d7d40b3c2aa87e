// Pretty-printed JSON output of commands for tools (2-space indent, as `--json` output and manifests
// are read by people too), through rapidjson's writer.
#pragma once

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace thoth::cli {

class Json {
 public:
  Json() : w_(buf_) { w_.SetIndent(' ', 2); }
  rapidjson::PrettyWriter<rapidjson::StringBuffer>& w() { return w_; }
  void str(std::string_view s) { w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void str_or_null(const std::optional<std::string>& s) {
    if (s) {
      str(*s);
    } else {
      w_.Null();
    }
  }
  void strings(const std::vector<std::string>& items) {
    w_.StartArray();
    for (const auto& s : items) str(s);
    w_.EndArray();
  }
  std::string text() const { return std::string(buf_.GetString(), buf_.GetSize()) + "\n"; }

 private:
  rapidjson::StringBuffer buf_;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w_;
};

}  // namespace thoth::cli
