// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: the decoders under every signature and notification: Base64Decode() (strict:
// one spelling per byte string, so decoding and encoding again must give the input back),
// AesGcmCipher::Decrypt() on hostile nonces, associated data and ciphertexts, the
// Encrypt() → Decrypt() round trip, and RSA-OAEP decryption of fuzzed ciphertexts.
//
// Input: line 1 the nonce, line 2 the associated data, the rest the Base64 ciphertext (the
// shape of a notification's resource). The whole input is also decoded as Base64 and used as
// a plaintext.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/base64.hpp"
#include "common/test_merchant.hpp"
#include "fuzz_support.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/keys.hpp"

namespace {

using namespace wechatpay;

// The official Java SDK's AEAD test key (tests/data/official.json, "java-aead"), so the vector
// in the corpus decrypts; the test merchant's APIv3 key is the same one.
constexpr auto& kKey = internal::test_merchant::kApiV3Key;

AesGcmCipher const& Cipher() {
  static AesGcmCipher const cipher = [] {
    auto made = AesGcmCipher::Create(kKey);
    fuzz::Check(made.ok(), "the AEAD key is accepted");
    return *made;
  }();
  return cipher;
}

PrivateKey const& OaepKey() {
  static PrivateKey const key = [] {
    auto made = PrivateKey::FromPem(fuzz::ReadTestData("keys/go_test_private_key.pem"));
    fuzz::Check(made.ok(), "the OAEP key loads");
    return *made;
  }();
  return key;
}

std::string_view NextLine(std::string_view& text) {
  auto const end = text.find('\n');
  std::string_view const line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view const input = fuzz::AsText(data, size);

  auto decoded = internal::Base64Decode(input);
  if (decoded.ok()) {
    fuzz::Check(internal::Base64Encode(*decoded) == input,
                "Base64 decoding is the inverse of encoding");
  } else {
    fuzz::Check(decoded.status().code() == StatusCode::kInvalidArgument,
                "bad Base64 is an invalid argument");
  }
  fuzz::Check(internal::Base64Decode(internal::Base64Encode(input)).value() == input,
              "Base64 round-trips any bytes");

  std::string_view rest = input;
  std::string_view const nonce = NextLine(rest);
  std::string_view const associated_data = NextLine(rest);
  auto plaintext = Cipher().Decrypt(nonce, associated_data, rest);
  if (!plaintext.ok()) {
    fuzz::Check(plaintext.status().code() == StatusCode::kDecryptionFailed,
                "a ciphertext that does not decrypt is a decryption failure");
  }

  // Whatever the bytes, encrypting and decrypting gives them back under a 12-byte nonce.
  std::string const twelve = (std::string(nonce) + "000000000000").substr(0, 12);
  auto sealed = Cipher().Encrypt(twelve, associated_data, input);
  fuzz::Check(sealed.ok(), "encryption works");
  auto opened = Cipher().Decrypt(twelve, associated_data, *sealed);
  fuzz::Check(opened.ok() && *opened == input, "AES-GCM round-trips any bytes");

  // RSA-OAEP on the remaining text (Base64 of the ciphertext, as WeChat sends it).
  auto oaep = OaepKey().DecryptOaep(rest);
  if (!oaep.ok()) {
    fuzz::Check(oaep.status().code() == StatusCode::kDecryptionFailed,
                "an OAEP ciphertext that does not decrypt is a decryption failure");
  }
  return 0;
}
