// SHA-256 by OpenSSL's libcrypto: of a buffer, of a file (streamed), and incrementally.
// Index pages give every file's sha256 (PEP 503 "#sha256=" fragments, PEP 691 "hashes"); the HTTP cache
// keys immutable blobs by it; the installer verifies downloads with it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace thoth {

// Incremental hasher: update() any number of times, then hex() once.
// A plain value: the hash state lives inside the object (no allocation), and copies hash on
// independently.
class Sha256 {
 public:
  Sha256();

  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Lower-case hex digest (64 characters). Finishes the hash; the object must be reset() to reuse it.
  std::string hex();
  void reset();

 private:
  // OpenSSL's SHA256_CTX (112 bytes on every platform it supports; checked where it is used).
  alignas(8) unsigned char state_[128];
};

std::string sha256_hex(std::string_view data);
// Reads the file in blocks. Throws NetError naming the file when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);
// The lower-case hex digest of `data` for the hashlib names indexes give beside or instead of sha256
// (PEP 503 URL fragments, PEP 691 "hashes", PEP 658 metadata hashes): md5, sha1, sha224, sha256,
// sha384, sha512. nullopt for any other name (sha3_*, blake2*: thoth cannot check those).
std::optional<std::string> digest_hex(std::string_view algorithm, std::string_view data);
// True for 64 hex digits (either case); the form a sha256 takes in index pages and cache keys.
bool is_sha256_hex(std::string_view s);

}  // namespace thoth
