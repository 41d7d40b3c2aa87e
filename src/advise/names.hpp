// The names of the advise module's enumerations, as the KB format and the command line spell them.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace thoth::advisor {

// The enumerator whose name (by position in `names`) is `name`.
template <typename Enum, std::size_t N>
std::optional<Enum> enum_from_name(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace thoth::advisor
