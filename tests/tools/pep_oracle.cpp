// pep_oracle: answers PEP 440 / PEP 508 questions with thoth's implementation, one query per line,
// so a differential test can compare thousands of cases against python3-packaging in one process.
//
// A query is a command letter and its arguments, tab-separated. Inside an argument, '\' and every
// control character are written as "\\" and "\xHH" (so tabs and newlines in inputs survive); answers
// use the same escaping. Every query gets exactly one answer line.
//
//   V text                        ok <str> <public> <base> <epoch> <release> <pre> <post> <dev>
//                                    <local> <flags: prerelease postrelease devrelease> <round-trip>
//   C a b                         -1 | 0 | 1 (error if either does not parse)
//   S specifiers                  ok <str>
//   P specifiers                  admits_prereleases() 0|1
//   N specifiers version pre      1 | 0           (pre: none | true | false)
//   F specifiers pre v1 v2 ...    ok <comma-separated indices of the kept versions>
//   R requirement                 ok <str> <name> <extras,comma,joined> <specifier> <url> <marker>
//   M marker                      ok <str> <mentions_extra 0|1>
//   E marker v1 .. v11 extra      1 | 0           (v1..v11: the MarkerVar values in enum order)
//   L marker v1 .. v11 extras groups  1 | 0       (evaluate_in_lock; extras, groups comma-separated)
//   Z name                        normalize_name(name)
//   I name                        is_valid_name(name) 0|1
//   A name                        canonical marker variable name, or "-" when unknown
//
// Failures answer "err" when the module's documented exception type was thrown, "err-type <what>"
// for any other thoth::Error and "crash <what>" for any other exception, so the test also sees
// errors that escape with the wrong type.
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/pep440.hpp"
#include "thoth/pep508.hpp"

namespace {

using thoth::Version;

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    if (c == 'x' && i + 2 < s.size()) {
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return 0;
      };
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += c;  // "\\" and anything unexpected
    }
  }
  return out;
}

void escape_into(std::string& out, std::string_view s) {
  static const char digits[] = "0123456789abcdef";
  for (unsigned char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += digits[c >> 4];
      out += digits[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
}

std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    std::size_t tab = line.find('\t', start);
    fields.push_back(unescape(line.substr(start, tab == std::string_view::npos ? tab : tab - start)));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return fields;
}

// Builds one answer line out of escaped fields.
class Answer {
 public:
  Answer& add(std::string_view field) {
    if (!first_) line_ += '\t';
    first_ = false;
    escape_into(line_, field);
    return *this;
  }
  Answer& add_flag(bool b) { return add(b ? std::string_view("1") : std::string_view("0")); }
  std::string take() { return std::move(line_); }

 private:
  std::string line_;
  bool first_ = true;
};

std::optional<bool> parse_pre(const std::string& s) {
  if (s == "true") return true;
  if (s == "false") return false;
  return std::nullopt;
}

std::string join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string local_str(const Version& v) {
  std::vector<std::string> parts;
  for (const auto& seg : v.local()) {
    if (const auto* n = std::get_if<std::uint64_t>(&seg)) {
      parts.push_back(v.number_text(*n));
    } else {
      parts.push_back(std::get<std::string>(seg));
    }
  }
  return join(parts, '.');
}

std::string answer_version(const std::vector<std::string>& q) {
  Version v = Version::parse(q[1]);
  std::vector<std::string> release;
  for (auto n : v.release()) release.push_back(v.number_text(n));
  std::string pre;
  if (v.pre()) {
    static const char* const kinds[] = {"a", "b", "rc"};
    pre = kinds[static_cast<int>(v.pre()->kind)] + v.number_text(v.pre()->number);
  }
  std::string text = v.str();
  // The normalised text must parse back to the same version and print the same way, and so must the
  // cache's binary form (Version::decode) give it back.
  auto again = Version::try_parse(text);
  std::string bytes;
  v.encode(bytes);
  std::string_view in = bytes;
  auto decoded = Version::decode(in);
  bool round_trip = again && *again == v && again->str() == text && decoded && in.empty() && *decoded == v &&
                    decoded->str() == text && decoded->hash() == v.hash();
  std::string flags;
  flags += v.is_prerelease() ? '1' : '0';
  flags += v.is_postrelease() ? '1' : '0';
  flags += v.is_devrelease() ? '1' : '0';
  Answer a;
  a.add("ok").add(text).add(v.public_version().str()).add(v.base_version().str()).add(v.number_text(v.epoch()));
  a.add(join(release, '.')).add(pre);
  a.add(v.post() ? v.number_text(*v.post()) : std::string());
  a.add(v.dev() ? v.number_text(*v.dev()) : std::string());
  a.add(local_str(v)).add(flags).add_flag(round_trip);
  return a.take();
}

std::string answer_compare(const std::vector<std::string>& q) {
  Version a = Version::parse(q[1]);
  Version b = Version::parse(q[2]);
  auto c = a <=> b;
  if (c == 0) {
    // Equal versions must hash alike (VersionHash is used for maps keyed by version).
    if (a.hash() != b.hash()) return "hash-mismatch";
    if (!(a == b)) return "eq-inconsistent";
    return "0";
  }
  return c < 0 ? "-1" : "1";
}

std::string answer_specifiers(const std::vector<std::string>& q) {
  auto set = thoth::SpecifierSet::parse(q[1]);
  return Answer().add("ok").add(set.str()).take();
}

std::string answer_contains(const std::vector<std::string>& q) {
  auto set = thoth::SpecifierSet::parse(q[1]);
  Version v = Version::parse(q[2]);
  return set.contains(v, parse_pre(q[3])) ? "1" : "0";
}

std::string answer_filter(const std::vector<std::string>& q) {
  auto set = thoth::SpecifierSet::parse(q[1]);
  auto pre = parse_pre(q[2]);
  std::vector<Version> versions;
  for (std::size_t i = 3; i < q.size(); ++i) versions.push_back(Version::parse(q[i]));
  auto kept = set.filter(versions, pre);
  // Map the kept versions back to input positions, in order (filter keeps the input order; equal
  // versions such as 1.0 and 1.0.0 are told apart by their position, hence the identical str()).
  std::vector<std::string> indices;
  std::size_t next = 0;
  for (const auto& k : kept) {
    while (next < versions.size() && !(versions[next] == k && versions[next].str() == k.str())) ++next;
    if (next == versions.size()) return "filter-returned-foreign-version";
    indices.push_back(std::to_string(next++));
  }
  return Answer().add("ok").add(join(indices, ',')).take();
}

std::string answer_requirement(const std::vector<std::string>& q) {
  auto r = thoth::Requirement::parse(q[1]);
  Answer a;
  a.add("ok").add(r.str()).add(r.name).add(join(r.extras, ',')).add(r.specifier.str()).add(r.url);
  a.add(r.marker ? r.marker->str() : std::string());
  return a.take();
}

std::string answer_marker(const std::vector<std::string>& q) {
  auto m = thoth::Marker::parse(q[1]);
  return Answer().add("ok").add(m.str()).add_flag(m.mentions_extra()).take();
}

std::string answer_evaluate(const std::vector<std::string>& q) {
  constexpr std::size_t kEnvVars = thoth::kMarkerEnvVarCount;
  if (q.size() != 2 + kEnvVars + 1) return "badquery";
  auto m = thoth::Marker::parse(q[1]);
  thoth::MarkerEnv env;
  for (std::size_t i = 0; i < kEnvVars; ++i) env.set(static_cast<thoth::MarkerVar>(i), q[2 + i]);
  return m.evaluate(env, q[2 + kEnvVars]) ? "1" : "0";
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < s.size();) {
    std::size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string answer_evaluate_lock(const std::vector<std::string>& q) {
  constexpr std::size_t kEnvVars = thoth::kMarkerEnvVarCount;
  if (q.size() != 2 + kEnvVars + 2) return "badquery";
  auto m = thoth::Marker::parse(q[1]);
  thoth::MarkerEnv env;
  for (std::size_t i = 0; i < kEnvVars; ++i) env.set(static_cast<thoth::MarkerVar>(i), q[2 + i]);
  thoth::LockSelection selection{split_commas(q[2 + kEnvVars]), split_commas(q[3 + kEnvVars])};
  return m.evaluate_in_lock(env, selection) ? "1" : "0";
}

std::string answer_variable(const std::vector<std::string>& q) {
  auto v = thoth::marker_var_from_name(q[1]);
  return Answer().add(v ? thoth::marker_var_name(*v) : std::string_view("-")).take();
}

// Commands whose documented exception type is VersionError (pep440); the rest throw RequirementError.
bool is_pep440_command(char c) {
  return c == 'V' || c == 'C' || c == 'S' || c == 'P' || c == 'N' || c == 'F';
}

// Fewest fields (command included) each command needs.
std::size_t min_fields(char cmd) {
  switch (cmd) {
    case 'C': case 'F': return 3;
    case 'N': return 4;
    case 'E': return 3 + thoth::kMarkerEnvVarCount;
    case 'L': return 4 + thoth::kMarkerEnvVarCount;
    default: return 2;
  }
}

std::string answer(const std::vector<std::string>& q) {
  if (q.empty() || q[0].size() != 1 || q.size() < min_fields(q[0][0])) return "badquery";
  char cmd = q[0][0];
  try {
    switch (cmd) {
      case 'V': return answer_version(q);
      case 'C': return answer_compare(q);
      case 'S': return answer_specifiers(q);
      case 'P': return thoth::SpecifierSet::parse(q[1]).admits_prereleases() ? "1" : "0";
      case 'N': return answer_contains(q);
      case 'F': return answer_filter(q);
      case 'R': return answer_requirement(q);
      case 'M': return answer_marker(q);
      case 'E': return answer_evaluate(q);
      case 'L': return answer_evaluate_lock(q);
      case 'Z': return Answer().add(thoth::normalize_name(q[1])).take();
      case 'I': return thoth::is_valid_name(q[1]) ? "1" : "0";
      case 'A': return answer_variable(q);
      default: return "badquery";
    }
  } catch (const thoth::VersionError& e) {
    if (is_pep440_command(cmd)) return "err";
    return Answer().add("err-type").add(std::string("VersionError: ") + e.what()).take();
  } catch (const thoth::RequirementError& e) {
    if (!is_pep440_command(cmd)) return "err";
    return Answer().add("err-type").add(std::string("RequirementError: ") + e.what()).take();
  } catch (const thoth::Error& e) {
    return Answer().add("err-type").add(std::string("Error: ") + e.what()).take();
  } catch (const std::exception& e) {
    return Answer().add("crash").add(e.what()).take();
  }
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out += answer(split_tabs(line));
    out += '\n';
    if (out.size() > (1u << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return 0;
}
