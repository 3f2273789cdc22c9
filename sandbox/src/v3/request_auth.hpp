// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Request authentication exactly as WeChat Pay does it (docs/protocol.md, "Request signing"):
// Accept and User-Agent present, the Authorization scheme and its five fields, the merchant id, the
// certificate serial, the 5-minute timestamp window, and the RSA-SHA256 signature over
// METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n with the exact request-target and body bytes.
//
// The signing message is built here, independently of the SDK's BuildRequestSignMessage, so a
// mistake in one is not silently repeated in the other.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/exchange.hpp"
#include "wechatpay/protocol/keys.hpp"

namespace wechatpay::sandbox::internal {

/// The five fields of an Authorization header.
struct AuthorizationFields {
  std::string mchid;
  std::string nonce_str;
  std::string timestamp;
  std::string serial_no;
  std::string signature;
};

/// Parses `WECHATPAY2-SHA256-RSA2048 k="v",...` (fields in any order, each exactly once).
/// nullopt when the header does not have that form.
std::optional<AuthorizationFields> ParseAuthorization(std::string_view header);

/// Checks requests against the merchant's identity and public key.
///
/// @par Thread Safety
/// Immutable; safe from many threads.
class RequestAuthenticator {
 public:
  RequestAuthenticator(std::string merchant_id, std::string serial_number, PublicKey key)
      : merchant_id_(std::move(merchant_id)),
        serial_number_(std::move(serial_number)),
        key_(std::move(key)) {}

  /// nullopt when `request` is authentic at Unix time `now`; otherwise WeChat's answer:
  /// 400 INVALID_REQUEST (Accept or User-Agent missing) or 401 SIGN_ERROR (Authorization
  /// missing or malformed, unknown mchid, wrong serial, stale timestamp, bad signature).
  std::optional<Answer> Check(Inbound const& request, std::int64_t now) const;

  /// The merchant id requests must carry.
  std::string const& merchant_id() const { return merchant_id_; }

 private:
  std::string merchant_id_;
  std::string serial_number_;
  PublicKey key_;
};

/// 401 SIGN_ERROR with `message`.
Answer SignError(std::string_view message, std::string_view detail_json = {});

}  // namespace wechatpay::sandbox::internal
