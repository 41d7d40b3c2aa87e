// What a PEM file holds, read with OpenSSL's libcrypto as curl's TLS backend will read it: so that a
// --cert or --client-cert file curl could not load is refused when the options are read.
#pragma once

#include <string>

namespace thoth::tls_files {

// At least one "CERTIFICATE" (or "TRUSTED CERTIFICATE", "X509 CERTIFICATE") block whose content is
// a DER SEQUENCE, as a certificate is (its fields are left to curl: see tls_files.cpp).
bool has_certificate(const std::string& pem);
// A private key block that parses (an encrypted one counts: curl asks no passphrase, but the file is
// what the user meant; no prompt is shown here).
bool has_private_key(const std::string& pem);

}  // namespace thoth::tls_files
