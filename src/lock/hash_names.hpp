// Hash algorithm names as locks record them: hashlib's names ("sha256", "sha3_256", "blake2b"), which
// every lock format spells as keys and pip's report also as "algorithm=value".
#pragma once

#include <string_view>

namespace thoth::lock_detail {

// Lower-case letters, digits and '_', at least one: a name that reads back from "name=value" as itself.
constexpr bool is_hash_algorithm_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace thoth::lock_detail
