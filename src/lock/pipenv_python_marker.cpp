// The marker pipenv writes into Pipfile.lock for a dependency that no requirement gives one: its
// Requires-Python turned into python_version / python_full_version clauses by requirementslib's
// marker_from_specifier (pipenv 2022.12.19, vendor/requirementslib/models/markers.py: cleanup_pyspecs,
// _format_pyspec, _group_by_op, format_pyversion), rule for rule, quirks included: `==3.*` becomes
// `python_version == '3'`, `>3.6` becomes `>= '3.7'`, values are ordered as strings.
#include "lock/pipenv_python_marker.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "base/ascii.hpp"
#include "base/trim.hpp"
#include "thoth/pep440.hpp"

namespace thoth::lock_detail {

namespace {

// packaging's Specifier._operators, longest first so that "===" is not read as "==".
constexpr std::string_view kOperators[] = {"===", "~=", "==", "!=", "<=", ">=", "<", ">"};

// requirementslib's _tuplize_version: the parts before a '*', the first two as integers (a part
// that is not one fails there, and pipenv with it), the others as text, so that they compare as
// Python compares such tuples (shorter prefix first, text parts as strings).
struct PyVersion {
  std::vector<long long> head;    // major, minor
  std::vector<std::string> tail;  // the rest as written

  bool operator<(const PyVersion& o) const { return head != o.head ? head < o.head : tail < o.tail; }
  bool operator==(const PyVersion& o) const = default;
  std::size_t size() const { return head.size() + tail.size(); }
  // _format_version: the parts joined with '.' (integers without leading zeros).
  std::string str() const {
    std::string out;
    for (long long n : head) out += (out.empty() ? "" : ".") + std::to_string(n);
    for (const std::string& t : tail) out += "." + t;
    return out;
  }
};

std::optional<PyVersion> tuplize(std::string_view version) {
  PyVersion v;
  std::size_t index = 0;
  for (std::size_t start = 0; start <= version.size(); ++index) {
    std::size_t end = version.find('.', start);
    if (end == std::string_view::npos) end = version.size();
    const std::string_view part = version.substr(start, end - start);
    if (part == "*") break;
    if (index < 2) {
      if (part.empty() || part.size() > 9 || !std::all_of(part.begin(), part.end(), base::is_ascii_digit))
        return std::nullopt;  // int() raises
      v.head.push_back(std::stoll(std::string(part)));
    } else {
      v.tail.emplace_back(part);
    }
    start = end + 1;
  }
  return v;
}

// requirementslib's MAX_VERSIONS: the highest minor of each major it knows; another major fails.
std::optional<long long> max_minor(long long major) {
  switch (major) {
    case 1:
    case 2: return 7;
    case 3: return 11;
    case 4: return 0;
    default: return std::nullopt;
  }
}

struct Clause {
  std::string op;
  PyVersion version;
};

// _format_pyspec: `>X.Y` becomes `>=X.(Y+1)` and `<=X.Y` becomes `<X.(Y+1)` ("prefer [x,y) ranges"),
// unless X.(Y+1) is past MAX_VERSIONS. nullopt where requirementslib raises.
std::optional<Clause> format_pyspec(std::string op, std::string_view version) {
  std::optional<PyVersion> v = tuplize(version);
  if (!v || v->head.empty()) return std::nullopt;
  if (op == ">" || op == "<=") {
    const std::optional<long long> top = max_minor(v->head[0]);
    if (!top) return std::nullopt;
    const long long next = v->head.size() > 1 ? v->head[1] + 1 : 1;
    if (next <= *top) {
      op = op == ">" ? ">=" : "<";
      v = PyVersion{{v->head[0], next}, {}};
    }
  }
  return Clause{std::move(op), std::move(*v)};
}

}  // namespace

std::string pipenv_python_marker(std::string_view requires_python) {
  std::string spec(base::trim(requires_python));
  if (spec.empty()) return {};
  // marker_from_specifier: a bare version means ==; "any" and "*" mean no marker.
  const bool has_op = std::any_of(std::begin(kOperators), std::end(kOperators),
                                  [&](std::string_view op) { return spec.starts_with(op); });
  if (!has_op) {
    const std::string lower = base::ascii_lower(spec);
    if (lower == "any" || lower == "<any>" || lower == "*") return {};
    spec = "==" + spec;
  } else if (spec.starts_with("==") && std::count(spec.begin(), spec.end(), '=') > 3) {
    spec = "==" + spec.substr(spec.find_first_not_of('='));
  }

  // normalize_specifier_set: each clause loses a trailing ".*" and any '*', then must be a valid
  // specifier (packaging raises otherwise, e.g. for "~=3" left of "~=3.*").
  std::vector<Clause> clauses;
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    std::string_view text = base::trim(std::string_view(spec).substr(start, end - start));
    start = end + 1;
    if (text.empty()) continue;
    if (text.ends_with(".*")) text.remove_suffix(2);
    while (text.ends_with('*')) text.remove_suffix(1);
    const auto op = std::find_if(std::begin(kOperators), std::end(kOperators),
                                 [&](std::string_view o) { return text.starts_with(o); });
    if (op == std::end(kOperators)) return {};
    const std::string_view version = base::trim(text.substr(op->size()));
    try {
      (void)Specifier::parse(std::string(*op) + std::string(version));
    } catch (const Error&) {
      return {};
    }
    std::optional<Clause> clause = format_pyspec(std::string(*op), version);
    if (!clause) return {};
    clauses.push_back(std::move(*clause));
  }

  // _group_by_op: by operator and whether the version has a micro part, in that (string, bool) order;
  // cleanup_pyspecs with its default joiner "or": the lowest lower bound, the highest upper bound,
  // every version of the other operators (== / != of several become in / not in), as a sorted list.
  std::map<std::pair<std::string, bool>, std::vector<PyVersion>> groups;
  for (Clause& c : clauses) groups[{c.op, c.version.size() > 2}].push_back(std::move(c.version));
  std::vector<std::pair<std::string, std::string>> parts;  // (operator, value)
  for (auto& [key, versions] : groups) {
    std::sort(versions.begin(), versions.end());
    versions.erase(std::unique(versions.begin(), versions.end()), versions.end());
    std::string op = key.first;
    std::string value;
    if (op == ">" || op == ">=") {
      value = versions.front().str();
    } else if (op == "<" || op == "<=") {
      value = versions.back().str();
    } else {
      std::vector<std::string> texts;
      for (const PyVersion& v : versions) texts.push_back(v.str());
      std::sort(texts.begin(), texts.end());  // get_sorted_version_string sorts the strings
      for (const std::string& t : texts) value += (value.empty() ? "" : ", ") + t;
      if (op == "==" && versions.size() > 1) op = "in";
      if (op == "!=" && versions.size() > 1) op = "not in";
    }
    parts.emplace_back(std::move(op), std::move(value));
  }
  // Ordered by value as a string (a stable sort: ties keep the operators' order).
  std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.second < b.second; });

  // format_pyversion: python_full_version when the value holds an X.Y.Z, else python_version.
  auto has_micro = [](const std::string& value) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      std::size_t j = i;
      int numbers = 0;
      while (j < value.size() && base::is_ascii_digit(value[j])) {
        while (j < value.size() && base::is_ascii_digit(value[j])) ++j;
        if (++numbers == 3) return true;
        if (j + 1 < value.size() && value[j] == '.' && base::is_ascii_digit(value[j + 1])) {
          ++j;
        } else {
          break;
        }
      }
    }
    return false;
  };
  std::string out;
  for (const auto& [op, value] : parts) {
    out += (out.empty() ? "" : " and ") + std::string(has_micro(value) ? "python_full_version" : "python_version") +
           " " + op + " '" + value + "'";
  }
  return out;
}

}  // namespace thoth::lock_detail
