// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "floor.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

namespace wechatpay::bench {
namespace {

[[noreturn]] void Die(char const* what) {
  std::fprintf(stderr, "wechatpay_bench: floor setup failed: %s\n", what);
  std::exit(2);
}

unsigned char const* Bytes(std::string_view s) {
  return reinterpret_cast<unsigned char const*>(s.data());
}

template <typename Read>
EVP_PKEY* ReadPem(std::string_view pem, Read read) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) Die("BIO_new_mem_buf");
  EVP_PKEY* key = read(bio);
  BIO_free(bio);
  if (key == nullptr) Die("PEM key");
  return key;
}

// EVP_DecodeBlock() decodes padding as zero bytes; the real length drops one per '='.
// Returns -1 for text that is not Base64 or does not fit.
long DecodeBase64(std::string_view text, unsigned char* out, std::size_t capacity) {
  if (text.empty() || text.size() % 4 != 0 || text.size() / 4 * 3 > capacity ||
      text.size() > INT_MAX) {
    return -1;
  }
  int const n = EVP_DecodeBlock(out, Bytes(text), static_cast<int>(text.size()));
  if (n < 0) return -1;
  long padding = 0;
  if (text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  return n - padding;
}

// A copy of a prepared sign/verify context, flagged for one final operation (so the final
// step does not duplicate the provider context again). Null on failure.
EVP_MD_CTX* NewContext(EVP_MD_CTX const* prototype) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx != nullptr && EVP_MD_CTX_copy_ex(ctx, prototype) != 1) {
    EVP_MD_CTX_free(ctx);
    return nullptr;
  }
  if (ctx != nullptr) EVP_MD_CTX_set_flags(ctx, EVP_MD_CTX_FLAG_FINALISE);
  return ctx;
}

}  // namespace

// --- FloorSigner ------------------------------------------------------------------------------

FloorSigner::FloorSigner(std::string_view private_key_pem) {
  key_ = ReadPem(private_key_pem,
                 [](BIO* bio) { return PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr); });
  sha256_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  prototype_ = EVP_MD_CTX_new();
  if (sha256_ == nullptr || prototype_ == nullptr ||
      EVP_DigestSignInit(prototype_, nullptr, sha256_, nullptr, key_) != 1) {
    Die("EVP_DigestSignInit");
  }
}

FloorSigner::~FloorSigner() {
  EVP_MD_CTX_free(prototype_);
  EVP_MD_free(sha256_);
  EVP_PKEY_free(key_);
}

std::size_t FloorSigner::Sign(std::string_view message, std::array<char, kMaxBase64>& out) const {
  std::array<unsigned char, 512> signature{};
  std::size_t length = signature.size();
  EVP_MD_CTX* ctx = NewContext(prototype_);
  if (ctx == nullptr ||
      EVP_DigestSign(ctx, signature.data(), &length, Bytes(message), message.size()) != 1) {
    Die("EVP_DigestSign");
  }
  EVP_MD_CTX_free(ctx);
  int const n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), signature.data(),
                                static_cast<int>(length));
  return static_cast<std::size_t>(n);
}

// --- FloorVerifier ----------------------------------------------------------------------------

FloorVerifier::FloorVerifier(std::string_view public_key_pem) {
  key_ = ReadPem(public_key_pem,
                 [](BIO* bio) { return PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr); });
  sha256_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  prototype_ = EVP_MD_CTX_new();
  if (sha256_ == nullptr || prototype_ == nullptr ||
      EVP_DigestVerifyInit(prototype_, nullptr, sha256_, nullptr, key_) != 1) {
    Die("EVP_DigestVerifyInit");
  }
}

FloorVerifier::~FloorVerifier() {
  EVP_MD_CTX_free(prototype_);
  EVP_MD_free(sha256_);
  EVP_PKEY_free(key_);
}

bool FloorVerifier::Verify(std::string_view timestamp, std::string_view nonce,
                           std::string_view body, std::string_view signature_base64) const {
  std::array<unsigned char, 1024> signature{};
  long const length = DecodeBase64(signature_base64, signature.data(), signature.size());
  if (length <= 0) return false;
  static constexpr unsigned char kNewline = '\n';
  EVP_MD_CTX* ctx = NewContext(prototype_);
  bool const ok =
      ctx != nullptr && EVP_DigestVerifyUpdate(ctx, timestamp.data(), timestamp.size()) == 1 &&
      EVP_DigestVerifyUpdate(ctx, &kNewline, 1) == 1 &&
      EVP_DigestVerifyUpdate(ctx, nonce.data(), nonce.size()) == 1 &&
      EVP_DigestVerifyUpdate(ctx, &kNewline, 1) == 1 &&
      EVP_DigestVerifyUpdate(ctx, body.data(), body.size()) == 1 &&
      EVP_DigestVerifyUpdate(ctx, &kNewline, 1) == 1 &&
      EVP_DigestVerifyFinal(ctx, signature.data(), static_cast<std::size_t>(length)) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// --- FloorGcm ---------------------------------------------------------------------------------

FloorGcm::FloorGcm(std::string_view key) {
  cipher_ = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  ctx_ = EVP_CIPHER_CTX_new();
  if (key.size() != 32 || cipher_ == nullptr || ctx_ == nullptr ||
      EVP_DecryptInit_ex(ctx_, cipher_, nullptr, Bytes(key), nullptr) != 1) {
    Die("EVP_DecryptInit_ex");
  }
}

FloorGcm::~FloorGcm() {
  EVP_CIPHER_CTX_free(ctx_);
  EVP_CIPHER_free(cipher_);
}

long FloorGcm::Decrypt(std::string_view nonce, std::string_view associated_data,
                       std::string_view ciphertext_base64,
                       std::array<unsigned char, kMaxBytes>& out) {
  constexpr long kTag = 16;
  long const decoded = DecodeBase64(ciphertext_base64, decoded_.data(), decoded_.size());
  if (decoded < kTag || nonce.size() != 12 || decoded - kTag > static_cast<long>(out.size())) {
    return -1;
  }
  int const body = static_cast<int>(decoded - kTag);
  int length = 0;
  int final_length = 0;
  // The IV length is the cipher's default (12), so only the IV changes per call.
  if (EVP_DecryptInit_ex(ctx_, nullptr, nullptr, nullptr, Bytes(nonce)) != 1 ||
      (!associated_data.empty() &&
       EVP_DecryptUpdate(ctx_, nullptr, &length, Bytes(associated_data),
                         static_cast<int>(associated_data.size())) != 1) ||
      EVP_DecryptUpdate(ctx_, out.data(), &length, decoded_.data(), body) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTag),
                          decoded_.data() + body) != 1 ||
      EVP_DecryptFinal_ex(ctx_, out.data() + length, &final_length) != 1) {
    return -1;
  }
  return length + final_length;
}

}  // namespace wechatpay::bench
