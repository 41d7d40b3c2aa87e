// Loads tests/unit/tags/data/expected.json (lists computed by python3-packaging; see generate.py).
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "thoth/tags.hpp"

namespace thoth::test {

inline const rapidjson::Document& expected_data() {
  static const rapidjson::Document doc = [] {
    std::ifstream in(std::string(THOTH_SOURCE_DIR) + "/tests/unit/tags/data/expected.json");
    std::stringstream ss;
    ss << in.rdbuf();
    rapidjson::Document d;
    d.Parse(ss.str().c_str());
    if (d.HasParseError() || !d.IsObject()) throw std::runtime_error("cannot read expected.json");
    return d;
  }();
  return doc;
}

inline std::vector<std::string> strings(const rapidjson::Value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.GetArray()) out.emplace_back(s.GetString(), s.GetStringLength());
  return out;
}

struct ExpectedCase {
  std::vector<std::string> platforms, abis, tags;
};

inline ExpectedCase expected_case(const char* name) {
  const auto& doc = expected_data();
  auto it = doc.FindMember(name);
  if (it == doc.MemberEnd()) throw std::runtime_error(std::string("no expected case ") + name);
  return {strings(it->value["platforms"]), strings(it->value["abis"]), strings(it->value["tags"])};
}

inline std::vector<std::string> tag_strings(const std::vector<Tag>& tags) {
  std::vector<std::string> out;
  for (const Tag& t : tags) out.push_back(t.str());
  return out;
}

inline std::vector<std::string> tag_strings(const TagSet& tags) { return tag_strings(tags.tags()); }

}  // namespace thoth::test
