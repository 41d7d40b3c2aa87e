// Project names and extras: PEP 503 normalisation and PEP 508 validity.
#include <string>
#include <string_view>

#include "pep508/text.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

using base::ascii_lower;
using pep508_text::is_ascii_alnum;

// PEP 503 "Normalized names": re.sub(r"[-_.]+", "-", name).lower(), as packaging's
// canonicalize_name. Only ASCII letters are lowered (names of real projects are ASCII).
std::string normalize_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool in_run = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_run) out += '-';
      in_run = true;
    } else {
      out += ascii_lower(c);
      in_run = false;
    }
  }
  return out;
}

// PEP 508 "Names": ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$ with re.IGNORECASE.
bool is_valid_name(std::string_view name) {
  if (name.empty() || !is_ascii_alnum(name.front()) || !is_ascii_alnum(name.back())) return false;
  for (char c : name) {
    if (!is_ascii_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace thoth
