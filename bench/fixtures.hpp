// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// What the benchmarks work on: freshly generated RSA-2048 keys for the merchant and for
// "WeChat Pay", realistic bodies (a ~300-byte Native order, a ~650-byte transaction), answers
// and notifications signed and encrypted the way WeChat Pay does it. Generated in-process, so
// the benchmark depends neither on the test tree nor on a network.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "common/test_merchant.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay::bench {

// The project's test merchant (common/test_merchant.hpp).
using internal::test_merchant::kApiV3Key;
using internal::test_merchant::kAppId;
using internal::test_merchant::kMerchantId;
using internal::test_merchant::kMerchantSerial;
using internal::test_merchant::kNotifyUrl;
using internal::test_merchant::kPublicKeyId;

/// Aborts with `what` and the status when `status` is not OK: a benchmark that measures an
/// error path measures the wrong thing.
inline void Check(Status const& status, char const* what) {
  if (status.ok()) return;
  std::fprintf(stderr, "wechatpay_bench: %s failed: %s\n", what, status.ToString().c_str());
  std::exit(2);
}

/// Check() on the status of `result`, without moving its value: the timed operations use it,
/// so that the benchmark adds no copy or move of the result to what it measures.
template <typename T>
void CheckResult(StatusOr<T> const& result, char const* what) {
  Check(result.status(), what);
}

/// The value of `result`, or Check()'s abort.
template <typename T>
T Must(StatusOr<T> result, char const* what) {
  Check(result.status(), what);
  return *std::move(result);
}

/// PEM text of the two key pairs (PKCS#8 private keys, SubjectPublicKeyInfo public keys).
struct Keys {
  std::string merchant_private_pem;
  std::string merchant_public_pem;
  std::string wechat_private_pem;
  std::string wechat_public_pem;
};

/// Two fresh RSA-2048 key pairs.
Keys GenerateKeys();

/// A direct-backend configuration with every credential as PEM text.
MerchantConfig BenchConfig(Keys const& keys, std::string base_url);

/// The Native order request the full-request benchmark sends (~300 bytes of JSON once
/// serialised, with description, attach, time_expire and goods_tag set).
NativePrepayRequest NativeOrder(std::string out_trade_no);

/// A ~300-byte Native order body, as the library serialises NativeOrder().
std::string NativeOrderBody();

/// A ~650-byte TRANSACTION.SUCCESS resource (also the body of a query-order answer).
std::string TransactionJson(std::string const& out_trade_no);

/// A REFUND.SUCCESS resource.
std::string RefundJson(std::string const& out_refund_no);

/// A message signed the way WeChat Pay signs answers and notifications.
struct SignedMessage {
  /// Wechatpay-Timestamp/Nonce/Signature/Serial, Request-ID, Content-Type.
  HttpHeaders headers;
  std::string body;
  std::string timestamp;
  std::string nonce;
  std::string signature;
};

/// Signs `body` at `timestamp` with `wechat_key` under kPublicKeyId.
SignedMessage SignAsWeChat(PrivateKey const& wechat_key, std::string body, std::int64_t timestamp);

/// A notification and, for the floor, its resource's parts as they sit in the envelope.
struct BuiltNotification {
  SignedMessage message;
  std::string resource_nonce;
  std::string associated_data;
  std::string ciphertext;
};

/// A signed notification of `event_type` ("TRANSACTION.SUCCESS", "REFUND.SUCCESS", ...)
/// carrying `plaintext` encrypted under kApiV3Key.
BuiltNotification BuildNotification(PrivateKey const& wechat_key, std::string const& id,
                                    std::string const& event_type, std::string const& plaintext,
                                    std::int64_t timestamp);

}  // namespace wechatpay::bench
