// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The OpenSSL floor: the same cryptographic work as our operations, done with the cheapest raw
// EVP sequence we know, keys parsed and contexts prepared once. Nothing here allocates on the
// heap per call beyond what OpenSSL itself does, and nothing parses JSON.
//
// - Sign: EVP_MD_CTX_copy_ex() from a context prepared with EVP_DigestSignInit() (no
//   algorithm fetch per call) flagged EVP_MD_CTX_FLAG_FINALISE (no second duplication in the
//   final step), EVP_DigestSign(), EVP_EncodeBlock() of the signature.
// - Verify: EVP_DecodeBlock() of the signature, a copy of a prepared verification context
//   (flagged the same way), EVP_DigestVerifyUpdate() over TIMESTAMP\nNONCE\nBODY\n in place,
//   EVP_DigestVerifyFinal().
// - Decrypt: EVP_DecodeBlock() of the resource, then AES-256-GCM on one context that keeps the
//   key schedule between calls (only the IV is set per call), tag checked.

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <string_view>

namespace wechatpay::bench {

/// RSA-SHA256 signing with a pre-parsed key. Const calls are safe from several threads.
class FloorSigner {
 public:
  /// Base64 of a 2048-bit signature is 344 characters; buffers hold up to 4096-bit keys.
  static constexpr std::size_t kMaxBase64 = 700;

  explicit FloorSigner(std::string_view private_key_pem);
  ~FloorSigner();
  FloorSigner(FloorSigner const&) = delete;
  FloorSigner& operator=(FloorSigner const&) = delete;

  /// Signs `message`; writes Base64 (NUL-terminated) into `out` and returns its length.
  std::size_t Sign(std::string_view message, std::array<char, kMaxBase64>& out) const;

  /// The parsed key, for the per-thread-key comparison of the scaling measurement.
  EVP_PKEY* key() const { return key_; }

 private:
  EVP_PKEY* key_ = nullptr;
  EVP_MD* sha256_ = nullptr;
  EVP_MD_CTX* prototype_ = nullptr;
};

/// RSA-SHA256 verification of a response or notification. Const calls are thread-safe.
class FloorVerifier {
 public:
  explicit FloorVerifier(std::string_view public_key_pem);
  ~FloorVerifier();
  FloorVerifier(FloorVerifier const&) = delete;
  FloorVerifier& operator=(FloorVerifier const&) = delete;

  /// True when `signature_base64` signs TIMESTAMP\nNONCE\nBODY\n.
  bool Verify(std::string_view timestamp, std::string_view nonce, std::string_view body,
              std::string_view signature_base64) const;

 private:
  EVP_PKEY* key_ = nullptr;
  EVP_MD* sha256_ = nullptr;
  EVP_MD_CTX* prototype_ = nullptr;
};

/// AEAD_AES_256_GCM decryption. Keeps one context: one thread at a time.
class FloorGcm {
 public:
  /// Decoded ciphertexts up to this size (a notification resource is 0.5–3 KiB).
  static constexpr std::size_t kMaxBytes = 16 * 1024;

  explicit FloorGcm(std::string_view key);
  ~FloorGcm();
  FloorGcm(FloorGcm const&) = delete;
  FloorGcm& operator=(FloorGcm const&) = delete;

  /// Decrypts Base64(ciphertext || tag) into `out`; returns the plaintext length, or -1 when
  /// the input is too large, not Base64, or the tag does not match.
  long Decrypt(std::string_view nonce, std::string_view associated_data,
               std::string_view ciphertext_base64, std::array<unsigned char, kMaxBytes>& out);

 private:
  EVP_CIPHER* cipher_ = nullptr;
  EVP_CIPHER_CTX* ctx_ = nullptr;
  std::array<unsigned char, kMaxBytes + 4> decoded_{};
};

}  // namespace wechatpay::bench
