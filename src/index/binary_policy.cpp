// pip's FormatControl.get_allowed_formats: a project named in --only-binary or --no-binary follows
// that list; otherwise ":all:" in either applies (--only-binary checked first).
#include <algorithm>

#include "thoth/index.hpp"

namespace thoth {
namespace {

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

bool BinaryPolicy::wheels_allowed(std::string_view name) const {
  if (contains(only_binary, name)) return true;
  if (contains(no_binary, name)) return false;
  if (only_binary_all) return true;
  return !no_binary_all;
}

bool BinaryPolicy::sdists_allowed(std::string_view name) const {
  if (contains(only_binary, name)) return false;
  if (contains(no_binary, name)) return true;
  return !only_binary_all;
}

}  // namespace thoth
