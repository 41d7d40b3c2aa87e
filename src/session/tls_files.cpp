#include "session/tls_files.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstring>
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

// The PEM block names OpenSSL reads as certificates (PEM_read_bio_X509_AUX and curl alike).
bool is_certificate_block(const char* name) {
  return std::strcmp(name, PEM_STRING_X509) == 0 || std::strcmp(name, PEM_STRING_X509_OLD) == 0 ||
         std::strcmp(name, PEM_STRING_X509_TRUSTED) == 0;
}

// DER whose outer value is one SEQUENCE of definite length spanning all of it (X.509 §7, RFC 5280
// §4.1: a Certificate is a SEQUENCE).
bool is_der_sequence(const unsigned char* der, long size) {
  const unsigned char* p = der;
  long length = 0;
  int tag = 0;
  int cls = 0;
  const int ret = ASN1_get_object(&p, &length, &tag, &cls, size);
  return (ret & 0x80) == 0 && ret == V_ASN1_CONSTRUCTED && tag == V_ASN1_SEQUENCE && cls == V_ASN1_UNIVERSAL &&
         (p - der) + length == size;
}

}  // namespace

bool has_certificate(const std::string& pem) {
  // A block named as a certificate whose base64 decodes to a DER SEQUENCE. Not a full X.509 decode:
  // that starts OpenSSL's provider and decoder machinery, 14 M instructions (3-5 ms) on every run
  // where REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE names the system bundle, as it does on many machines.
  Bio bio = memory_bio(pem);
  if (!bio) return false;
  bool found = false;
  while (!found) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long size = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &size) != 1) break;
    found = is_certificate_block(name) && is_der_sequence(data, size);
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
  }
  ERR_clear_error();
  return found;
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
