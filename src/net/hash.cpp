// SHA-256 with libcrypto's SHA256_Init/Update/Final: the same assembly (SHA-NI, AVX2) as the EVP
// interface, without its costs. EVP would fetch the implementation from a provider on first use
// (initialising OpenSSL and reading its configuration: 5 M instructions, a tenth of a warm
// `thoth lock`) and spend ~4,000 instructions of dispatch on each hash of a short cache key, against
// ~700 for the hash itself. OpenSSL 3 marks these calls deprecated but keeps them; a build without
// them stops here rather than falling back silently.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "thoth/hash.hpp"

#include <openssl/md5.h>
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

std::string to_hex(const unsigned char* digest, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[digest[i] >> 4];
    out[2 * i + 1] = kDigits[digest[i] & 0xf];
  }
  return out;
}

}  // namespace

Sha256::Sha256() { reset(); }

void Sha256::reset() { SHA256_Init(state(state_)); }

void Sha256::update(const void* data, std::size_t size) {
  if (size != 0) SHA256_Update(state(state_), data, size);
}

std::string Sha256::hex() {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256_Final(digest.data(), state(state_));
  return to_hex(digest.data(), digest.size());
}

namespace {

// One hash with the Init/Update/Final functions of one algorithm (the one-shot MD5(), SHA1(), ...
// go through EVP in OpenSSL 3).
template <typename Ctx, std::size_t N>
std::string one_shot(int (*init)(Ctx*), int (*update)(Ctx*, const void*, std::size_t),
                     int (*final)(unsigned char*, Ctx*), std::string_view data) {
  Ctx ctx;
  unsigned char digest[N];
  init(&ctx);
  update(&ctx, data.data(), data.size());
  final(digest, &ctx);
  return to_hex(digest, N);
}

}  // namespace

std::optional<std::string> digest_hex(std::string_view algorithm, std::string_view data) {
  if (algorithm == "sha256") return sha256_hex(data);
  if (algorithm == "md5") return one_shot<MD5_CTX, MD5_DIGEST_LENGTH>(MD5_Init, MD5_Update, MD5_Final, data);
  if (algorithm == "sha1") return one_shot<SHA_CTX, SHA_DIGEST_LENGTH>(SHA1_Init, SHA1_Update, SHA1_Final, data);
  if (algorithm == "sha224")
    return one_shot<SHA256_CTX, SHA224_DIGEST_LENGTH>(SHA224_Init, SHA224_Update, SHA224_Final, data);
  if (algorithm == "sha384")
    return one_shot<SHA512_CTX, SHA384_DIGEST_LENGTH>(SHA384_Init, SHA384_Update, SHA384_Final, data);
  if (algorithm == "sha512")
    return one_shot<SHA512_CTX, SHA512_DIGEST_LENGTH>(SHA512_Init, SHA512_Update, SHA512_Final, data);
  return std::nullopt;
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
