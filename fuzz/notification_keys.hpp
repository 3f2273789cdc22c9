// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The keys of the notification and verification targets: the official Go SDK's test key pair
// (tests/data/keys), known under its certificate serial (as in the official notification
// vector) and under a WeChat Pay public key id, and a 32-byte APIv3 key.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/test_merchant.hpp"
#include "common/text.hpp"
#include "fuzz_support.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/protocol/signing.hpp"

namespace wechatpay::fuzz {

/// The serial of keys/go_test_cert_D7CE59D1F522D701.pem, which signed the official vector.
inline constexpr char kCertificateSerial[] = "D7CE59D1F522D701";
/// The id the same key is also known under.
inline constexpr auto& kPublicKeyId = internal::test_merchant::kPublicKeyId;
/// The APIv3 key of the notification targets.
inline constexpr char kApiV3Key[] = "fuzzApiV3Key0123456789abcdefABCD";
/// The instant of the official vector (its Wechatpay-Timestamp).
inline constexpr std::int64_t kVectorNow = 1624523846;

/// A verifier that knows the test key under both names.
inline SignatureVerifier MakeTestVerifier() {
  SignatureVerifier verifier;
  Check(verifier.AddCertificate(ReadTestData("keys/go_test_cert_D7CE59D1F522D701.pem")).ok(),
        "the test certificate loads");
  auto key = PublicKey::FromPem(ReadTestData("keys/go_test_public_key.pem"));
  Check(key.ok(), "the test public key loads");
  Check(verifier.AddKey(kPublicKeyId, *key).ok(), "the test public key is added");
  Check(verifier.HasKey(kCertificateSerial), "the certificate is known under its serial");
  return verifier;
}

/// The private key of that pair, for harnesses that sign fuzzed bodies.
inline PrivateKey MakeTestSigningKey() {
  auto key = PrivateKey::FromPem(ReadTestData("keys/go_test_private_key.pem"));
  Check(key.ok(), "the test private key loads");
  return *key;
}

/// The instant a message's start line names (decimal Unix seconds), else the vector's.
inline std::chrono::system_clock::time_point NowFromStartLine(std::string_view line) {
  auto const seconds = internal::ParseInt64(internal::Trim(line));
  // Kept within what a system_clock time_point can hold in nanoseconds (about ±292 years).
  std::int64_t const limit = std::int64_t{9000000000};
  std::int64_t const value =
      seconds && *seconds > -limit && *seconds < limit ? *seconds : kVectorNow;
  return std::chrono::system_clock::time_point(std::chrono::seconds(value));
}

}  // namespace wechatpay::fuzz
