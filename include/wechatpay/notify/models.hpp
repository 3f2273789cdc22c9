// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file notify/models.hpp
/// What a callback (notification) carries once verified and decrypted: the event types, the
/// typed Notification with its Transaction or RefundNotification, and the wire constants of the
/// envelope. WeChat Pay POSTs a signed envelope with an AES-256-GCM encrypted resource to the
/// merchant's notify_url and redelivers it until it gets a 2xx answer.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include "wechatpay/export.hpp"

#include "wechatpay/models.hpp"

namespace wechatpay {

/// `event_type` of a successful payment; the resource is a Transaction.
inline constexpr std::string_view kEventTransactionSuccess = "TRANSACTION.SUCCESS";
/// `event_type` of a refund that reached the payer; the resource is a RefundNotification.
inline constexpr std::string_view kEventRefundSuccess = "REFUND.SUCCESS";
/// `event_type` of a refund that failed (e.g. the payer's card is closed): apply for an
/// abnormal refund; the resource is a RefundNotification.
inline constexpr std::string_view kEventRefundAbnormal = "REFUND.ABNORMAL";
/// `event_type` of a refund that was closed; the resource is a RefundNotification.
inline constexpr std::string_view kEventRefundClosed = "REFUND.CLOSED";
/// The only `resource_type` WeChat Pay sends.
inline constexpr std::string_view kNotificationResourceType = "encrypt-resource";
/// The only `resource.algorithm` this SDK accepts.
inline constexpr std::string_view kNotificationAlgorithm = "AEAD_AES_256_GCM";

/// Amounts of a refund notification, in fen.
struct WECHATPAY_EXPORT RefundNotificationAmount {
  /// The order's total.
  std::int64_t total = 0;
  /// The refund's amount.
  std::int64_t refund = 0;
  /// What the payer paid (the total minus discounts).
  std::int64_t payer_total = 0;
  /// What goes back to the payer.
  std::int64_t payer_refund = 0;
  /// The accounts the refund was taken from (present when the request named them). Not in
  /// WeChat's notification table; modelled because the official Java SDK's RefundNotification
  /// reads the refund API's amount object here (docs/protocol.md, "Models").
  std::vector<FundsFromItem> from;
  /// Settlement refund amount (Java SDK model).
  std::optional<std::int64_t> settlement_refund;
  /// Settlement total (Java SDK model).
  std::optional<std::int64_t> settlement_total;
  /// Discount refunded (Java SDK model).
  std::optional<std::int64_t> discount_refund;
  /// Currency (Java SDK model).
  std::optional<std::string> currency;
  /// Refund fee (Java SDK model).
  std::optional<std::int64_t> refund_fee;
};

/// The decrypted resource of REFUND.SUCCESS, REFUND.ABNORMAL and REFUND.CLOSED. It differs from
/// the Refund that the refund API returns: the status member is `refund_status`, and WeChat's
/// table documents fewer members. The optional members below the documented ones are those the
/// official Java SDK's RefundNotification carries (docs/protocol.md, "Models").
struct WECHATPAY_EXPORT RefundNotification {
  /// Merchant id.
  std::string mchid;
  /// WeChat transaction id of the refunded order.
  std::string transaction_id;
  /// Merchant order number of the refunded order.
  std::string out_trade_no;
  /// WeChat refund id.
  std::string refund_id;
  /// Merchant refund number.
  std::string out_refund_no;
  /// SUCCESS, CLOSED or ABNORMAL (always the one the event_type names; PROCESSING is never
  /// notified).
  std::string refund_status;
  /// When the refund reached the payer, RFC 3339 (REFUND.SUCCESS only).
  std::optional<std::string> success_time;
  /// Where the money goes back to, e.g. "招商银行信用卡0403" or "支付用户零钱".
  std::optional<std::string> user_received_account;
  /// Amounts.
  RefundNotificationAmount amount;
  /// When the refund was accepted, RFC 3339 (Java SDK model).
  std::optional<std::string> create_time;
  /// ORIGINAL, BALANCE, OTHER_BALANCE or OTHER_BANKCARD (Java SDK model).
  std::optional<std::string> channel;
  /// The funds account the refund used, e.g. UNSETTLED or AVAILABLE (Java SDK model).
  std::optional<std::string> funds_account;
  /// Promotions refunded (Java SDK model).
  std::vector<RefundPromotionDetail> promotion_detail;
  /// The complete decrypted JSON object.
  std::string raw_json;
};

/// A verified and decrypted notification.
struct WECHATPAY_EXPORT Notification {
  /// Notification id; the same on every redelivery of one notification (the deduplication key).
  std::string id;
  /// When WeChat created it, RFC 3339 ("" when absent).
  std::string create_time;
  /// E.g. "TRANSACTION.SUCCESS", "REFUND.SUCCESS".
  std::string event_type;
  /// Always "encrypt-resource".
  std::string resource_type;
  /// WeChat's one-line summary, e.g. "支付成功" ("" when absent).
  std::string summary;
  /// `resource.original_type`: "transaction", "refund", ... ("" when absent).
  std::string original_type;
  /// The decrypted resource: a JSON object (checked), exactly the bytes WeChat encrypted.
  std::string plaintext;
  /// The `Request-ID` header, for WeChat support ("" when absent).
  std::string request_id;
  /// Set for TRANSACTION.SUCCESS: the paid transaction (trade_state SUCCESS, out_trade_no,
  /// transaction_id and amount.total present).
  std::optional<Transaction> transaction;
  /// Set for REFUND.SUCCESS, REFUND.ABNORMAL and REFUND.CLOSED.
  std::optional<RefundNotification> refund;
  // Other event types leave both unset; `plaintext` holds their resource.
};

}  // namespace wechatpay
