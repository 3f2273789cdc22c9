// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file keys.hpp
/// The RSA keys of WeChat Pay API v3: the merchant's private key (RSA-SHA256 PKCS#1 v1.5
/// signatures, RSA-OAEP decryption of sensitive fields) and WeChat Pay's public key or platform
/// certificate (signature verification, RSA-OAEP encryption). Signatures and ciphertexts are
/// standard Base64, as on the wire. Keys are parsed once, when created.

#include <memory>
#include <string>
#include <string_view>

#include "wechatpay/export.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// An RSA private key (the merchant's `apiclient_key.pem`).
///
/// @par Thread Safety
/// Immutable; copies share the parsed key; safe to use from many threads at once.
/// Key material is wiped when the last copy is destroyed.
class WECHATPAY_EXPORT PrivateKey {
 public:
  /// Parses a PEM private key (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`).
  /// Errors: kConfiguration when the text is not an RSA private key of at least 2048 bits.
  static StatusOr<PrivateKey> FromPem(std::string_view pem);

  /// RSA PKCS#1 v1.5 signature with SHA-256 over `message`, standard Base64 with padding.
  /// Deterministic: the same key and message always give the same signature.
  StatusOr<std::string> SignSha256(std::string_view message) const;

  /// Decrypts a Base64 RSA-OAEP (SHA-1, MGF1-SHA1, empty label) ciphertext, as WeChat uses for
  /// sensitive response fields. Errors: kDecryptionFailed.
  StatusOr<std::string> DecryptOaep(std::string_view ciphertext_base64) const;

  /// Size of the modulus in bits.
  int bits() const;

  /// Implementation detail.
  struct Impl;

 private:
  explicit PrivateKey(std::shared_ptr<Impl const> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl const> impl_;
};

/// An RSA public key: the WeChat Pay public key, or the key of a platform certificate.
///
/// @par Thread Safety
/// Immutable; copies share the parsed key; safe to use from many threads at once.
class WECHATPAY_EXPORT PublicKey {
 public:
  /// Parses a PEM `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo), `BEGIN RSA PUBLIC KEY` or
  /// `BEGIN CERTIFICATE` (the certificate's key is used). Errors: kConfiguration.
  static StatusOr<PublicKey> FromPem(std::string_view pem);

  /// Checks a standard-Base64 RSA PKCS#1 v1.5 SHA-256 signature over `message`.
  /// Errors: kVerificationFailed (kSignTestProbe for `WECHATPAY/SIGNTEST/` probes,
  /// kSignatureMismatch otherwise, including undecodable Base64).
  Status VerifySha256(std::string_view message, std::string_view signature_base64) const;

  /// RSA-OAEP (SHA-1, MGF1-SHA1, empty label) encryption of at most 214 bytes, Base64 output.
  /// Randomised. Errors: kInvalidArgument when the plaintext is too long.
  StatusOr<std::string> EncryptOaep(std::string_view plaintext) const;

  /// The serial number of the certificate this key came from (upper-case hex), or "" when
  /// the PEM was a bare public key.
  std::string const& certificate_serial() const;

  /// Implementation detail.
  struct Impl;

 private:
  explicit PublicKey(std::shared_ptr<Impl const> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl const> impl_;
};

}  // namespace wechatpay
