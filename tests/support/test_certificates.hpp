// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Throw-away keys and X.509 certificates for the platform certificate and key set tests: RSA
// keys of any size, EC keys, CAs and leaves with chosen serials and validity windows, made with
// OpenSSL's EVP and X509 API. Generation failures throw std::runtime_error.

#include <cstdint>
#include <string>

namespace wechatpay::testing {

/// A new RSA private key of `bits` bits, as PKCS#8 PEM.
std::string GenerateRsaKeyPem(int bits);

/// A new EC P-256 private key, as PKCS#8 PEM.
std::string GenerateEcKeyPem();

/// What a generated certificate says.
struct TestCertificateSpec {
  /// The serial number in hexadecimal (e.g. "5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC").
  std::string serial_hex = "01";
  /// The subject's common name.
  std::string common_name = "Test platform certificate";
  /// Validity, in Unix seconds.
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;
  /// A CA certificate (basicConstraints CA:TRUE, keyCertSign) rather than a leaf.
  bool is_ca = false;
};

/// A PEM certificate for the key of `subject_key_pem` (a private key PEM), signed with
/// `issuer_key_pem` and naming `issuer_cert_pem`'s subject as its issuer; self-signed when
/// `issuer_cert_pem` is empty (then `issuer_key_pem` must be the subject's key).
std::string MakeTestCertificatePem(TestCertificateSpec const& spec,
                                   std::string const& subject_key_pem,
                                   std::string const& issuer_key_pem,
                                   std::string const& issuer_cert_pem = "");

}  // namespace wechatpay::testing
