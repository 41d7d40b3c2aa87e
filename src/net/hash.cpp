// SHA-256 over OpenSSL's EVP digest interface (the low-level SHA256_* calls are deprecated in 3.0).
#include "thoth/hash.hpp"

#include <openssl/evp.h>

#include <array>
#include <new>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "thoth/net.hpp"

namespace thoth {

namespace {

// OpenSSL 3 looks the implementation up again on every EVP_DigestInit_ex(EVP_sha256()) (locks and
// property queries, more work than hashing a METADATA file); fetched once, it is reused. Never freed:
// it lives as long as the process.
const EVP_MD* sha256_md() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

}  // namespace

struct Sha256::Ctx {
  EVP_MD_CTX* md = nullptr;
  ~Ctx() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  ctx_->md = EVP_MD_CTX_new();
  reset();
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::reset() {
  // Only an allocation failure makes these fail; there is nothing useful to do but report it.
  if (ctx_->md == nullptr || EVP_DigestInit_ex(ctx_->md, sha256_md(), nullptr) != 1) {
    throw std::bad_alloc();
  }
}

void Sha256::update(const void* data, std::size_t size) {
  if (size != 0) EVP_DigestUpdate(ctx_->md, data, size);
}

std::string Sha256::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_->md, digest.data(), &len);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kDigits[digest[i] >> 4]);
    out.push_back(kDigits[digest[i] & 0xf]);
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
