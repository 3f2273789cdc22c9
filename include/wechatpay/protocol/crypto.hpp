// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file crypto.hpp
/// Key material and the cryptographic primitives of WeChat Pay API v3: RSA-SHA256 (PKCS#1 v1.5)
/// signatures, RSA-OAEP (SHA-1, MGF1-SHA1) for sensitive fields, AEAD_AES_256_GCM for
/// notifications and certificates, and Base64. Keys are parsed once, when created.

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

/// AEAD_AES_256_GCM keyed with the merchant's 32-byte APIv3 key.
///
/// @par Thread Safety
/// Immutable; safe to use from many threads at once. The key is wiped on destruction.
class WECHATPAY_EXPORT AesGcmCipher {
 public:
  /// Errors: kConfiguration (field "apiV3Key") unless `api_v3_key` is exactly 32 bytes.
  static StatusOr<AesGcmCipher> Create(std::string_view api_v3_key);

  /// Decrypts `ciphertext_base64` = Base64(ciphertext || 16-byte tag) with the UTF-8 bytes of
  /// `nonce` (12 bytes) and `associated_data` (may be empty). Returns the plaintext bytes.
  /// Errors: kDecryptionFailed (bad Base64, wrong nonce length, tag mismatch).
  StatusOr<std::string> Decrypt(std::string_view nonce, std::string_view associated_data,
                                std::string_view ciphertext_base64) const;

  /// The inverse of Decrypt(): Base64(ciphertext || tag). `nonce` must be 12 bytes.
  StatusOr<std::string> Encrypt(std::string_view nonce, std::string_view associated_data,
                                std::string_view plaintext) const;

  /// Implementation detail.
  struct Impl;

 private:
  explicit AesGcmCipher(std::shared_ptr<Impl const> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl const> impl_;
};

/// Standard Base64 with `=` padding.
WECHATPAY_EXPORT std::string Base64Encode(std::string_view bytes);

/// Decodes standard Base64 (padding required, no whitespace). Errors: kInvalidArgument.
WECHATPAY_EXPORT StatusOr<std::string> Base64Decode(std::string_view text);

/// A nonce for request signing: 32 characters of [0-9A-Za-z] from OpenSSL's CSPRNG.
WECHATPAY_EXPORT std::string GenerateNonce();

}  // namespace wechatpay
