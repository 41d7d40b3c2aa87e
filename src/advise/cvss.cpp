// CVSS v3 base scores, for the severity of imported OSV advisories.
#include <cmath>
#include <map>

#include "advise/osv.hpp"

namespace thoth::advisor {
namespace {

// CVSS v3.1 specification, Appendix A: the smallest number, to one decimal, not below `x`, computed
// on integers so that floating-point noise does not round 4.0 up to 4.1.
double roundup(double x) {
  const long long scaled = std::llround(x * 100000.0);
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return static_cast<double>(scaled / 10000 + 1) / 10.0;
}

}  // namespace

std::optional<double> cvss3_base_score(std::string_view vector) {
  if (!vector.starts_with("CVSS:3.0/") && !vector.starts_with("CVSS:3.1/")) return std::nullopt;
  std::map<std::string_view, std::string_view> metric;
  std::string_view rest = vector.substr(9);
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    std::size_t colon = part.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    metric[part.substr(0, colon)] = part.substr(colon + 1);
  }
  // Section 7.4, Table 16: the base metric values.
  auto value = [&](std::string_view name, std::initializer_list<std::pair<std::string_view, double>> table)
      -> std::optional<double> {
    auto it = metric.find(name);
    if (it == metric.end()) return std::nullopt;
    for (const auto& [letter, weight] : table) {
      if (letter == it->second) return weight;
    }
    return std::nullopt;
  };
  auto scope = metric.find("S");
  if (scope == metric.end() || (scope->second != "U" && scope->second != "C")) return std::nullopt;
  const bool changed = scope->second == "C";
  const auto av = value("AV", {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}});
  const auto ac = value("AC", {{"L", 0.77}, {"H", 0.44}});
  const auto pr = value("PR", {{"N", 0.85}, {"L", changed ? 0.68 : 0.62}, {"H", changed ? 0.5 : 0.27}});
  const auto ui = value("UI", {{"N", 0.85}, {"R", 0.62}});
  const auto c = value("C", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  const auto i = value("I", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  const auto a = value("A", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  if (!av || !ac || !pr || !ui || !c || !i || !a) return std::nullopt;
  // Section 7.1.
  const double iss = 1 - (1 - *c) * (1 - *i) * (1 - *a);
  const double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability = 8.22 * *av * *ac * *pr * *ui;
  if (impact <= 0) return 0.0;
  return changed ? roundup(std::min(1.08 * (impact + exploitability), 10.0))
                 : roundup(std::min(impact + exploitability, 10.0));
}

}  // namespace thoth::advisor
