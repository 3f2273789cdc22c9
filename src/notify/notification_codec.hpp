// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// JSON reading for notifications, through the library's one JSON reader (json/json_reader.hpp):
// the envelope and the refund notification resource. Errors are kMalformedResponse with
// ErrorInfo::field set to the member that broke a rule, so every envelope problem has its own
// reason.

#include <string>
#include <string_view>

#include "wechatpay/notify/models.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// The envelope of a notification as sent, before any value check beyond JSON types.
struct NotificationEnvelope {
  std::string id;
  std::string create_time;
  std::string event_type;
  std::string resource_type;
  std::string summary;
  std::string original_type;
  std::string algorithm;
  std::string ciphertext;
  std::string nonce;
  std::string associated_data;
};

/// kMalformedResponse naming `field`.
Status NotificationError(std::string_view field, std::string message);

/// Reads the envelope: a UTF-8 JSON object; id, event_type, resource (an object with
/// ciphertext and nonce) required; create_time, resource_type, summary, original_type,
/// algorithm and associated_data strings when present (absent or null reads as "").
StatusOr<NotificationEnvelope> ParseNotificationEnvelope(std::string_view body);

/// OK when `text` is one JSON object under the library's parse policy (json_reader.hpp: UTF-8,
/// no NUL byte, nesting within kMaxJsonNesting); else
/// kMalformedResponse with field "plaintext".
Status CheckPlaintextIsJsonObject(std::string_view text);

/// Reads the resource of REFUND.*: mchid, transaction_id, out_trade_no, refund_id,
/// out_refund_no, refund_status and amount{total, refund, payer_total, payer_refund} required;
/// success_time, user_received_account and the Java SDK's extra members (create_time, channel,
/// funds_account, promotion_detail, amount.from and the other amounts) optional, type-checked
/// when present. raw_json = `text`.
StatusOr<RefundNotification> ParseRefundNotification(std::string_view text);

}  // namespace wechatpay::internal
