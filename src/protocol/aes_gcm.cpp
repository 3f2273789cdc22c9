// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/aes_gcm.hpp"

#include <openssl/evp.h>

#include <array>
#include <climits>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/base64.hpp"
#include "common/config_error.hpp"
#include "common/openssl.hpp"
#include "common/wipe.hpp"
#include "protocol/crypto_errors.hpp"

namespace wechatpay {
namespace {

using internal::AsBytes;
using internal::CipherCtxPtr;
using internal::ConfigError;
using internal::CryptoDecryptionError;
using internal::CryptoInternalError;
using internal::ErrorWithField;

constexpr std::size_t kAesKeySize = 32;
constexpr std::size_t kGcmNonceSize = 12;
constexpr std::size_t kGcmTagSize = 16;

}  // namespace

struct AesGcmCipher::Impl {
  explicit Impl(std::string_view api_v3_key) {
    std::memcpy(key.data(), api_v3_key.data(), key.size());
    // A decryption context with the cipher fetched and the key schedule expanded, copied for
    // every Decrypt(): like the RSA prototypes, it saves the provider fetch and the key set-up
    // on each call, and concurrent copies only read it. OpenSSL wipes a GCM context's key
    // schedule when the context is freed (OPENSSL_clear_free), the prototype's included.
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kGcmNonceSize),
                            nullptr) == 1 &&
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nullptr) == 1) {
      decrypt_prototype = std::move(ctx);
    } else {
      internal::ClearOpenSslErrors();  // the per-call path sets the context up and reports failures
    }
  }
  Impl(Impl const&) = delete;
  Impl& operator=(Impl const&) = delete;
  ~Impl() { internal::WipeBytes(key.data(), key.size()); }

  // A context ready to decrypt with `nonce` (12 bytes); null on failure. Give it back with
  // ReturnDecryptContext().
  CipherCtxPtr TakeDecryptContext(std::string_view nonce) const {
    CipherCtxPtr ctx;
    {
      std::lock_guard<std::mutex> lock(idle_mu);
      if (!idle.empty()) {
        ctx = std::move(idle.back());
        idle.pop_back();
      }
    }
    if (ctx) {
      // Only the nonce: the key schedule stays, and setting the IV resets GCM's state (counter,
      // hash, tag) whatever the previous call on this context did.
      if (EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, nullptr, AsBytes(nonce)) != 1) {
        return nullptr;
      }
      return ctx;
    }
    ctx.reset(EVP_CIPHER_CTX_new());
    if (!ctx) return nullptr;
    if (decrypt_prototype) {
      if (EVP_CIPHER_CTX_copy(ctx.get(), decrypt_prototype.get()) != 1 ||
          EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, nullptr, AsBytes(nonce)) != 1) {
        return nullptr;
      }
      return ctx;
    }
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kGcmNonceSize),
                            nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), AsBytes(nonce)) != 1) {
      return nullptr;
    }
    return ctx;
  }

  // Keeps `ctx` for a later call (up to kMaxIdleContexts; beyond that it is freed, and
  // OpenSSL wipes its key schedule).
  void ReturnDecryptContext(CipherCtxPtr ctx) const {
    if (!ctx) return;
    std::lock_guard<std::mutex> lock(idle_mu);
    if (idle.size() < kMaxIdleContexts) idle.push_back(std::move(ctx));
  }

  // About one per thread that decrypts at the same time.
  static constexpr std::size_t kMaxIdleContexts = 8;

  std::array<unsigned char, kAesKeySize> key{};
  CipherCtxPtr decrypt_prototype;
  // Contexts of earlier calls, keyed and ready for a new nonce: reusing one saves copying the
  // prototype (an allocation and about a kilobyte) on every Decrypt(). The Impl is shared
  // and otherwise immutable; only this list changes, under the mutex.
  mutable std::mutex idle_mu;
  mutable std::vector<CipherCtxPtr> idle;
};

StatusOr<AesGcmCipher> AesGcmCipher::Create(std::string_view api_v3_key) {
  if (api_v3_key.size() != kAesKeySize) {
    // The length is safe to report; the key itself is not.
    return ConfigError("apiV3Key", "apiV3Key must be exactly 32 bytes (got " +
                                       std::to_string(api_v3_key.size()) + ")");
  }
  return AesGcmCipher(std::make_shared<Impl const>(api_v3_key));
}

StatusOr<std::string> AesGcmCipher::Decrypt(std::string_view nonce,
                                            std::string_view associated_data,
                                            std::string_view ciphertext_base64) const {
  if (!impl_) return CryptoInternalError("Decrypt called on a moved-from AesGcmCipher");
  if (nonce.size() != kGcmNonceSize) {
    return CryptoDecryptionError("AEAD_AES_256_GCM: the nonce must be 12 bytes (got " +
                                 std::to_string(nonce.size()) + ")");
  }
  auto decoded = internal::Base64Decode(ciphertext_base64);
  if (!decoded)
    return CryptoDecryptionError("AEAD_AES_256_GCM: the ciphertext is not valid Base64");
  if (decoded->size() < kGcmTagSize) {
    return CryptoDecryptionError(
        "AEAD_AES_256_GCM: the ciphertext is shorter than the 16-byte tag");
  }
  if (decoded->size() > static_cast<std::size_t>(INT_MAX) ||
      associated_data.size() > static_cast<std::size_t>(INT_MAX)) {
    return CryptoDecryptionError("AEAD_AES_256_GCM: the input is too large");
  }
  std::size_t const body_size = decoded->size() - kGcmTagSize;
  auto const* body = AsBytes(*decoded);
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer but only reads the tag, which is the
  // decoded string's own tail.
  auto* const tag = reinterpret_cast<unsigned char*>(decoded->data()) + body_size;

  // Goes back to the cipher's idle list on every path out of this function.
  struct ContextLease {
    Impl const& impl;
    CipherCtxPtr ctx;
    ~ContextLease() { impl.ReturnDecryptContext(std::move(ctx)); }
  } lease{*impl_, impl_->TakeDecryptContext(nonce)};
  EVP_CIPHER_CTX* const ctx = lease.ctx.get();
  if (ctx == nullptr) return CryptoInternalError("AEAD_AES_256_GCM: cannot initialise the cipher");
  int length = 0;
  if (!associated_data.empty() &&
      EVP_DecryptUpdate(ctx, nullptr, &length, AsBytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1) {
    return CryptoDecryptionError("AEAD_AES_256_GCM: cannot process the associated data");
  }
  // GCM is a stream mode: the plaintext is as long as the ciphertext. It is decrypted straight
  // into the string that is returned (no second buffer and copy); the guard wipes it on every
  // path that rejects it, so unauthenticated plaintext never outlives this call.
  std::string plaintext(body_size, '\0');
  auto* const out = reinterpret_cast<unsigned char*>(plaintext.data());
  struct WipeUnlessReleased {
    std::string* text;
    ~WipeUnlessReleased() {
      if (text != nullptr) internal::Wipe(*text);
    }
  } guard{&plaintext};
  int written = 0;
  if (body_size > 0) {
    if (EVP_DecryptUpdate(ctx, out, &length, body, static_cast<int>(body_size)) != 1) {
      return CryptoDecryptionError("AEAD_AES_256_GCM: decryption failed");
    }
    written = length;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize), tag) != 1) {
    return CryptoInternalError("AEAD_AES_256_GCM: cannot set the tag");
  }
  // The tag is checked here; nothing decrypted leaves this function unless it matches. GCM's
  // final step writes no bytes.
  if (EVP_DecryptFinal_ex(ctx, out + written, &length) != 1) {
    return CryptoDecryptionError(
        "AEAD_AES_256_GCM: the authentication tag does not match (wrong APIv3 key, nonce or "
        "associated data, or altered ciphertext)");
  }
  written += length;
  guard.text = nullptr;
  plaintext.resize(static_cast<std::size_t>(written));
  return plaintext;
}

StatusOr<std::string> AesGcmCipher::Encrypt(std::string_view nonce,
                                            std::string_view associated_data,
                                            std::string_view plaintext) const {
  if (!impl_) return CryptoInternalError("Encrypt called on a moved-from AesGcmCipher");
  if (nonce.size() != kGcmNonceSize) {
    return ErrorWithField(StatusCode::kInvalidArgument, "nonce",
                          "nonce must be 12 bytes (got " + std::to_string(nonce.size()) + ")");
  }
  if (plaintext.size() > static_cast<std::size_t>(INT_MAX) - kGcmTagSize ||
      associated_data.size() > static_cast<std::size_t>(INT_MAX)) {
    return ErrorWithField(StatusCode::kInvalidArgument, "plaintext",
                          "plaintext or associated data is too large");
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kGcmNonceSize),
                          nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, impl_->key.data(), AsBytes(nonce)) != 1) {
    return CryptoInternalError("AEAD_AES_256_GCM: cannot initialise the cipher");
  }
  int length = 0;
  if (!associated_data.empty() &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, AsBytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1) {
    return CryptoInternalError("AEAD_AES_256_GCM: cannot process the associated data");
  }
  std::string out(plaintext.size() + kGcmTagSize, '\0');
  auto* buffer = reinterpret_cast<unsigned char*>(out.data());
  int written = 0;
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx.get(), buffer, &length, AsBytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1) {
      return CryptoInternalError("AEAD_AES_256_GCM: encryption failed");
    }
    written = length;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), buffer + written, &length) != 1) {
    return CryptoInternalError("AEAD_AES_256_GCM: encryption failed");
  }
  written += length;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize),
                          buffer + written) != 1) {
    return CryptoInternalError("AEAD_AES_256_GCM: cannot read the tag");
  }
  out.resize(static_cast<std::size_t>(written) + kGcmTagSize);
  return internal::Base64Encode(out);
}

}  // namespace wechatpay
