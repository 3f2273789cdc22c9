// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Notifications as WeChat Pay sends them, for tests: the envelope JSON around an
// AES-256-GCM-encrypted resource (TestMerchant's APIv3 key), signed with the test WeChat Pay key
// (WeChatSide). Every part can be overridden to build broken notifications.

#include <cstdint>
#include <optional>
#include <string>

#include "support/wechat_side.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay::testing {

/// The clock of notification tests; notifications are stamped with it unless told otherwise.
inline constexpr std::int64_t kNotifyNow = 1700000000;

/// Everything that goes into one notification.
struct NotificationSpec {
  std::string id = "EV-2018022511223320873";
  std::string create_time = "2015-05-20T13:29:35+08:00";
  std::string event_type = "TRANSACTION.SUCCESS";
  std::string resource_type = "encrypt-resource";
  std::string summary = "支付成功";
  /// Default: "transaction" for TRANSACTION.*, "refund" for REFUND.*, else the lower-case prefix.
  std::optional<std::string> original_type;
  std::string algorithm = "AEAD_AES_256_GCM";
  /// The resource before encryption; default: TransactionPlaintext().
  std::optional<std::string> plaintext;
  /// 12 bytes.
  std::string nonce = "fdasflkja484";
  /// Default: the original type.
  std::optional<std::string> associated_data;
  /// The key the resource is encrypted with (32 bytes).
  std::string api_v3_key = TestMerchant::kApiV3Key;
  /// Wechatpay-Timestamp.
  std::int64_t timestamp = kNotifyNow;
  /// Wechatpay-Serial.
  std::string serial = TestMerchant::kPublicKeyId;
};

/// A notification request: headers and raw body.
struct BuiltNotification {
  HttpHeaders headers;
  std::string body;
};

/// The envelope JSON of `spec`, with the resource encrypted (not signed).
std::string NotificationBody(NotificationSpec const& spec);

/// Signs `body` as WeChat Pay does (Wechatpay-Timestamp/Nonce/Signature/Serial, Request-ID,
/// Wechatpay-Signature-Type, Content-Type).
BuiltNotification SignNotification(std::string body, std::int64_t timestamp = kNotifyNow,
                                   std::string serial = TestMerchant::kPublicKeyId);

/// NotificationBody(spec), signed.
BuiltNotification MakeNotification(NotificationSpec const& spec);

/// A notification of `event_type` carrying `plaintext`.
BuiltNotification MakeNotification(std::string event_type, std::string plaintext,
                                   std::int64_t timestamp = kNotifyNow);

/// A TRANSACTION.SUCCESS resource for `out_trade_no` paid with `total` fen.
std::string TransactionPlaintext(std::string const& out_trade_no = "1217752501201407033233368018",
                                 std::int64_t total = 100,
                                 std::string const& trade_state = "SUCCESS");

/// A REFUND.* resource with `refund_status` for `refund` of `total` fen.
std::string RefundPlaintext(std::string const& refund_status = "SUCCESS",
                            std::string const& out_refund_no = "1217752501201407033233368018",
                            std::int64_t refund = 50, std::int64_t total = 100);

/// The event type's default original_type (see NotificationSpec::original_type).
std::string DefaultOriginalType(std::string const& event_type);

}  // namespace wechatpay::testing
