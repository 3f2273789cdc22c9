// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// WeChat Pay's side of authentication: every 2xx answer and every callback is signed with the
// WeChat Pay private key over TIMESTAMP\nNONCE\nBODY\n (docs/protocol.md, "Response verification"),
// named by the public key id in Wechatpay-Serial. The message is built here, not with the SDK's
// helper, so that a shared mistake cannot pass the tests.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "control/faults.hpp"
#include "http/exchange.hpp"
#include "wechatpay/protocol/keys.hpp"

namespace wechatpay::sandbox::internal {

/// Signs answers and callbacks.
///
/// @par Thread Safety
/// Immutable; safe from many threads.
class ResponseSigner {
 public:
  ResponseSigner(PrivateKey key, std::string serial)
      : key_(std::move(key)), serial_(std::move(serial)) {}

  /// Sets Wechatpay-Timestamp (`timestamp`), -Nonce, -Signature, -Serial and
  /// -Signature-Type on `headers` for `body`.
  void Sign(std::string_view body, std::int64_t timestamp, HttpHeaders& headers) const;

  /// Signs a 2xx answer, or forges it as `fault` says: bad-signature (a valid signature of
  /// another message), signtest (a `WECHATPAY/SIGNTEST/` probe), no-signature (no Wechatpay-*
  /// header at all), stale-timestamp (validly signed ten minutes ago), wrong-serial (signed,
  /// but named by an id the client does not know). Other answers are left alone.
  void SignAnswer(Answer& answer, std::int64_t now, std::optional<FaultKind> fault) const;

  /// The public key id.
  std::string const& serial() const { return serial_; }

 private:
  PrivateKey key_;
  std::string serial_;
};

}  // namespace wechatpay::sandbox::internal
