#include "session/tls_files.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace thoth::tls_files {

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

Bio memory_bio(const std::string& text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// A passphrase callback that gives none: never a prompt on the terminal.
extern "C" int no_passphrase(char*, int, int, void*) { return -1; }

}  // namespace

bool has_certificate(const std::string& pem) {
  Bio bio = memory_bio(pem);
  if (!bio) return false;
  // PEM_read_bio_X509_AUX skips blocks of other types and reads both certificate block names.
  X509* cert = PEM_read_bio_X509_AUX(bio.get(), nullptr, no_passphrase, nullptr);
  ERR_clear_error();
  if (cert == nullptr) return false;
  X509_free(cert);
  return true;
}

bool has_private_key(const std::string& pem) {
  // An encrypted key cannot be parsed without its passphrase: its block name is enough.
  if (pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos) return true;
  Bio bio = memory_bio(pem);
  if (!bio) return false;
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
  ERR_clear_error();
  if (key == nullptr) return pem.find("Proc-Type: 4,ENCRYPTED") != std::string::npos;
  EVP_PKEY_free(key);
  return true;
}

}  // namespace thoth::tls_files
