// tls_files: what a --cert / --client-cert file must hold to be accepted when the options are read.
#include "session/tls_files.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

// A self-signed P-256 certificate (openssl req -x509 -newkey ec).
const std::string kCertificate =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBgTCCASegAwIBAgIULjqu4plr5lvTVORmRh9E3ZGWW0MwCgYIKoZIzj0EAwIw\n"
    "FTETMBEGA1UEAwwKdGhvdGggdGVzdDAgFw0yNjEyMDcxNDAxMTZaGA8yMTI2MTEx\n"
    "MzE0MDExNlowFTETMBEGA1UEAwwKdGhvdGggdGVzdDBZMBMGByqGSM49AgEGCCqG\n"
    "SM49AwEHA0IABCfB2N9Rh8T7gYjowTJNJziZ1dyf2QC+MFZz7F4XiYPKDT8vwkwI\n"
    "2+EnDpB0bYgzH5yUIhB7I+EQ1dAYFIpTFmmjUzBRMB0GA1UdDgQWBBTqGSrnu7/a\n"
    "dS+cYXC24KuxqB/CVjAfBgNVHSMEGDAWgBTqGSrnu7/adS+cYXC24KuxqB/CVjAP\n"
    "BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQC/jNxTQA1jFySLbm/a\n"
    "3zSAn1RsS0MmMeizVBjUow0gwgIgWRWpGAagzXXK3ogCcxwOahbQsXtJb7Aw+5dj\n"
    "71QfozQ=\n"
    "-----END CERTIFICATE-----\n";

TEST(TlsFiles, ACertificateBlockIsACertificate) {
  EXPECT_TRUE(thoth::tls_files::has_certificate(kCertificate));
  // Text before and between blocks, and another block first, as bundles have them.
  EXPECT_TRUE(thoth::tls_files::has_certificate("# a comment\n-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n" +
                                                kCertificate));
  std::string trusted = kCertificate;
  trusted.replace(trusted.find("BEGIN CERTIFICATE"), 17, "BEGIN TRUSTED CERTIFICATE");
  trusted.replace(trusted.find("END CERTIFICATE"), 15, "END TRUSTED CERTIFICATE");
  EXPECT_TRUE(thoth::tls_files::has_certificate(trusted));
}

TEST(TlsFiles, GarbageIsNoCertificate) {
  EXPECT_FALSE(thoth::tls_files::has_certificate(""));
  EXPECT_FALSE(thoth::tls_files::has_certificate(std::string("\x00\x01 not a certificate\n", 22)));
  // A certificate block whose content is not DER, or is cut short.
  EXPECT_FALSE(thoth::tls_files::has_certificate("-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n"));
  std::string cut = kCertificate;
  cut.erase(cut.find("3zSAn1Rs"), 65);
  EXPECT_FALSE(thoth::tls_files::has_certificate(cut));
  // A certificate's bytes under another block name.
  std::string other = kCertificate;
  other.replace(other.find("BEGIN CERTIFICATE"), 17, "BEGIN PUBLIC KEY");
  other.replace(other.find("END CERTIFICATE"), 15, "END PUBLIC KEY");
  EXPECT_FALSE(thoth::tls_files::has_certificate(other));
}

}  // namespace
