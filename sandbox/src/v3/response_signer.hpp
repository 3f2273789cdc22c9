// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// WeChat Pay's side of authentication: every 2xx answer and every callback is signed over
// TIMESTAMP\nNONCE\nBODY\n (docs/protocol.md, "Response verification") with the key the key mode
// chooses (v3/signing_keys.hpp), named in Wechatpay-Serial by the public key id or the platform
// certificate's serial. The message is built here, not with the SDK's
// helper, so that a shared mistake cannot pass the tests.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "control/faults.hpp"
#include "http/exchange.hpp"
#include "v3/signing_keys.hpp"

namespace wechatpay::sandbox::internal {

/// Signs answers and callbacks.
///
/// @par Thread Safety
/// Safe from many threads (the keys synchronize).
class ResponseSigner {
 public:
  explicit ResponseSigner(SigningKeys& keys) : keys_(keys) {}

  /// Sets Wechatpay-Timestamp (`timestamp`), -Nonce, -Signature, -Serial and
  /// -Signature-Type on a callback's `headers` for `body`.
  void SignCallback(std::string_view body, std::int64_t timestamp, HttpHeaders& headers) const;

  /// Signs a 2xx answer to a request whose Wechatpay-Serial was `request_serial`, or forges it
  /// as `fault` says: bad-signature (a valid signature of another message), signtest (a
  /// `WECHATPAY/SIGNTEST/` probe), no-signature (no Wechatpay-* header at all),
  /// stale-timestamp (validly signed ten minutes ago), wrong-serial (signed, but named by an id
  /// the client does not know). Other answers are left alone.
  void SignAnswer(Answer& answer, std::int64_t now, std::optional<FaultKind> fault,
                  std::string_view request_serial) const;

 private:
  static void Sign(SigningKey const& key, std::string_view body, std::int64_t timestamp,
                   HttpHeaders& headers);

  SigningKeys& keys_;
};

}  // namespace wechatpay::sandbox::internal
