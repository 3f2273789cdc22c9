// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file platform_certificate.hpp
/// WeChat Pay platform certificates: the keys merchants onboarded before the WeChat Pay public
/// key verify with, downloaded from `GET /v3/certificates` and replaced by WeChat from time to
/// time. This file decrypts and checks a download; it sends nothing (docs/protocol.md,
/// "Platform certificates").

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechatpay/export.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// One platform certificate: an X.509 certificate with an RSA-2048 key. Public data only (the
/// CLI prints it).
///
/// @par Thread Safety
/// Immutable; copies share the parsed key; safe to use from many threads at once.
class WECHATPAY_EXPORT PlatformCertificate {
 public:
  /// Parses one PEM `BEGIN CERTIFICATE` block (nothing else in the text) whose key is RSA with
  /// a 2048-bit modulus (the WECHATPAY2-SHA256-RSA2048 scheme). Its validity is not checked
  /// here: see ValidAt(). Errors: kConfiguration (field "certificate") naming the rule broken.
  static StatusOr<PlatformCertificate> FromPem(std::string_view pem);

  /// The serial number, upper-case hexadecimal: for a downloaded certificate the `serial_no`
  /// WeChat lists it under (and sends in Wechatpay-Serial), else as `openssl x509 -serial`
  /// prints it.
  std::string const& serial() const noexcept { return serial_; }
  /// The start of the validity window (notBefore).
  std::chrono::system_clock::time_point not_before() const noexcept { return not_before_; }
  /// The end of the validity window (notAfter), inclusive.
  std::chrono::system_clock::time_point not_after() const noexcept { return not_after_; }
  /// The certificate's public key.
  PublicKey const& public_key() const noexcept { return key_; }
  /// The certificate as PEM text.
  std::string const& pem() const noexcept { return pem_; }

  /// True when not_before() <= now <= not_after().
  bool ValidAt(std::chrono::system_clock::time_point now) const noexcept {
    return not_before_ <= now && now <= not_after_;
  }

 private:
  // Builds certificates in platform_certificate.cpp.
  friend struct PlatformCertificateAccess;
  PlatformCertificate(std::string serial, std::chrono::system_clock::time_point not_before,
                      std::chrono::system_clock::time_point not_after, PublicKey key,
                      std::string pem)
      : serial_(std::move(serial)),
        not_before_(not_before),
        not_after_(not_after),
        key_(std::move(key)),
        pem_(std::move(pem)) {}

  std::string serial_;
  std::chrono::system_clock::time_point not_before_;
  std::chrono::system_clock::time_point not_after_;
  PublicKey key_;
  std::string pem_;
};

/// What a downloaded certificate is checked against besides its own content.
struct WECHATPAY_EXPORT PlatformCertificateCheck {
  /// Every certificate must be valid at this time, and its chain (when checked) too.
  std::chrono::system_clock::time_point now;
  /// PEM `BEGIN CERTIFICATE` blocks of the certificate authorities a platform certificate must
  /// chain to (each one a trust anchor, root or not: WeChat's "Tenpay.com Root CA" is itself
  /// issued by another CA). Empty: no chain check; the APIv3 key's AES-GCM tag is then what
  /// authenticates the certificates.
  std::string ca_certificates;
};

/// Decrypts and checks the answer of `GET /v3/certificates` (`body`, the raw bytes of a
/// verified answer), in this order for each element of `data`:
///  1. `serial_no` is 1 to 64 hexadecimal digits and occurs once in the download;
///  2. `encrypt_certificate.algorithm` is AEAD_AES_256_GCM and `associated_data` is
///     "certificate" (kCertificateAssociatedData);
///  3. `ciphertext` decrypts with `cipher` (the APIv3 key), `nonce` and `associated_data`;
///  4. the plaintext is one PEM certificate with an RSA-2048 key;
///  5. its serial number equals `serial_no` (as numbers: case and leading zeros aside);
///  6. it is valid at `check.now`;
///  7. with `check.ca_certificates`, it chains to one of them at `check.now`.
/// At most 16 certificates; the body's shape and sizes are bounded (docs/protocol.md, "Platform
/// certificates"). All or nothing: the first refusal is returned.
/// Errors: kConfiguration (field "ca_certificates") when the CA text holds no usable
/// certificate; kDecryptionFailed when a ciphertext does not decrypt; kMalformedResponse for
/// every other rule. Each message names the certificate by its index and serial_no, and the
/// rule; none quotes a key, a ciphertext or a plaintext.
WECHATPAY_EXPORT StatusOr<std::vector<PlatformCertificate>> ReadPlatformCertificates(
    std::string_view body, AesGcmCipher const& cipher, PlatformCertificateCheck const& check);

}  // namespace wechatpay
