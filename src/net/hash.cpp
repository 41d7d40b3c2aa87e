// SHA-256 with libcrypto's SHA256_Init/Update/Final: the same assembly (SHA-NI, AVX2) as the EVP
// interface, without its costs. EVP would fetch the implementation from a provider on first use
// (initialising OpenSSL and reading its configuration: 5 M instructions, a tenth of a warm
// `thoth lock`) and spend ~4,000 instructions of dispatch on each hash of a short cache key, against
// ~700 for the hash itself. OpenSSL 3 marks these calls deprecated but keeps them; a build without
// them stops here rather than falling back silently.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "thoth/hash.hpp"

#include <openssl/sha.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>

#include "thoth/net.hpp"

#if defined(OPENSSL_NO_DEPRECATED_3_0)
#error "thoth needs OpenSSL's SHA256_Init/Update/Final (an OpenSSL built without its 3.0 deprecated API)"
#endif

namespace thoth {

namespace {

static_assert(sizeof(SHA256_CTX) <= 128 && alignof(SHA256_CTX) <= 8, "Sha256::state_ cannot hold a SHA256_CTX");

// The bytes of an unsigned char array implicitly hold the SHA256_CTX (a trivial C struct) that
// SHA256_Init writes, and copying the array copies it (C++20 [intro.object]/13).
SHA256_CTX* state(unsigned char* storage) { return std::launder(reinterpret_cast<SHA256_CTX*>(storage)); }

}  // namespace

Sha256::Sha256() { reset(); }

void Sha256::reset() { SHA256_Init(state(state_)); }

void Sha256::update(const void* data, std::size_t size) {
  if (size != 0) SHA256_Update(state(state_), data, size);
}

std::string Sha256::hex() {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256_Final(digest.data(), state(state_));
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * digest.size(), '\0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kDigits[digest[i] >> 4];
    out[2 * i + 1] = kDigits[digest[i] & 0xf];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.hex();
}

std::string sha256_file_hex(const std::filesystem::path& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) {
    throw NetError("cannot read " + file.string() + ": " + std::strerror(errno),
                   NetError::Kind::local_file);
  }
  Sha256 h;
  std::array<char, 1 << 16> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) h.update(buf.data(), n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw NetError("cannot read " + file.string() + ": read error", NetError::Kind::local_file);
  return h.hex();
}

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace thoth
