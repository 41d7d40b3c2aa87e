// SHA-256 through OpenSSL's EVP interface: of a buffer, of a file (streamed), and incrementally.
// Index pages give every file's sha256 (PEP 503 "#sha256=" fragments, PEP 691 "hashes"); the HTTP cache
// keys immutable blobs by it; the installer verifies downloads with it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace thoth {

// Incremental hasher: update() any number of times, then hex() once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Lower-case hex digest (64 characters). Finishes the hash; the object must be reset() to reuse it.
  std::string hex();
  void reset();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string sha256_hex(std::string_view data);
// Reads the file in blocks. Throws NetError naming the file when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);
// True for 64 hex digits (either case); the form a sha256 takes in index pages and cache keys.
bool is_sha256_hex(std::string_view s);

}  // namespace thoth
