// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Key and certificate generation with OpenSSL's EVP and X509 APIs: the RSA-2048 key pairs of
// the merchant and of "WeChat Pay", and the sandbox's own CA with a loopback server certificate
// and the platform certificates it issues.

#include <chrono>
#include <cstdint>
#include <string>

#include "wechatpay/status_or.hpp"

namespace wechatpay::sandbox::internal {

/// A key pair as PEM text: PKCS#8 private key, SubjectPublicKeyInfo public key.
struct KeyPairPem {
  std::string private_pem;
  std::string public_pem;
};

/// A certificate and its private key as PEM text.
struct CertificatePem {
  std::string cert_pem;
  std::string key_pem;
};

/// A fresh RSA key pair of `bits` bits. Errors: kInternal.
StatusOr<KeyPairPem> GenerateRsaKeyPair(int bits);

/// A fresh self-signed CA (EC P-256, valid ten years) named `common_name`. Errors: kInternal.
StatusOr<CertificatePem> GenerateCa(std::string const& common_name);

/// A fresh server certificate (EC P-256, valid 397 days) for `subject_alt_names` (OpenSSL
/// syntax, e.g. "IP:127.0.0.1,DNS:localhost"), signed by `ca`. Errors: kInternal.
StatusOr<CertificatePem> IssueServerCertificate(CertificatePem const& ca,
                                                std::string const& subject_alt_names);

/// A WeChat Pay platform certificate (RSA-2048) signed by `ca`: serial `serial_hex` (hex digits,
/// positive), valid from `not_before` to `not_after` (Unix seconds). With `key_pem` empty a fresh
/// key is generated; otherwise the certificate is issued again for that key (a shorter validity
/// for the same certificate). Errors: kInternal.
StatusOr<CertificatePem> IssuePlatformCertificate(CertificatePem const& ca,
                                                  std::string const& serial_hex,
                                                  std::int64_t not_before, std::int64_t not_after,
                                                  std::string const& key_pem);

/// True when `cert_pem`'s signature verifies with the key of `ca_cert_pem`.
bool CertificateIssuedBy(std::string const& cert_pem, std::string const& ca_cert_pem);

/// True when `cert_pem` parses and is still valid `margin` from now.
bool CertificateValidFor(std::string const& cert_pem, std::chrono::seconds margin);

}  // namespace wechatpay::sandbox::internal
