// Hash spellings of RECORD ("Recording installed projects", "The RECORD file").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace thoth::install_detail {

std::string urlsafe_b64_nopad(std::string_view bytes);
// "sha256=..." from a digest already in hex.
std::string record_hash_of_sha256_hex(std::string_view hex);
// "<algorithm>=..." of `bytes` for the hashlib names digest_hex() knows; nullopt for others.
std::optional<std::string> record_hash_with(std::string_view algorithm, std::string_view bytes);

}  // namespace thoth::install_detail
