// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file aes_gcm.hpp
/// AEAD_AES_256_GCM with the merchant's APIv3 key, as WeChat Pay encrypts notification
/// resources and platform certificates. Ciphertexts are standard Base64, as on the wire.

#include <memory>
#include <string>
#include <string_view>

#include "wechatpay/export.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

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

}  // namespace wechatpay
