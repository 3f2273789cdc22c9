// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: PEM loading, PrivateKey::FromPem() and PublicKey::FromPem() (and so
// SignatureVerifier::AddCertificate()), on the same text. A key that loads must work.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/protocol/signing.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace wechatpay;
  std::string_view const pem = fuzz::AsText(data, size);

  auto private_key = PrivateKey::FromPem(pem);
  if (private_key.ok()) {
    fuzz::Check(private_key->bits() >= 2048, "a loaded private key has at least 2048 bits");
    fuzz::Check(private_key->SignSha256("message").ok(), "a loaded private key signs");
  } else {
    fuzz::Check(private_key.status().code() == StatusCode::kConfiguration,
                "a private key that does not load is a configuration error");
  }

  auto public_key = PublicKey::FromPem(pem);
  if (public_key.ok()) {
    // Verification of a wrong signature must fail cleanly, whatever key was loaded.
    auto const status = public_key->VerifySha256("message", "AAAA");
    fuzz::Check(status.code() == StatusCode::kVerificationFailed,
                "a loaded public key rejects a wrong signature");
    if (private_key.ok()) {
      // One PEM text holding both: they are checked as a pair only if they are one.
      auto signature = private_key->SignSha256("message");
      (void)public_key->VerifySha256("message", signature.ok() ? *signature : "");
    }
  } else {
    fuzz::Check(public_key.status().code() == StatusCode::kConfiguration,
                "a public key that does not load is a configuration error");
  }

  SignatureVerifier verifier;
  auto const added = verifier.AddCertificate(pem);
  if (added.ok()) {
    fuzz::Check(verifier.size() == 1, "an added certificate is one key");
  }
  return 0;
}
