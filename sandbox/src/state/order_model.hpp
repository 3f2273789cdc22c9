// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The records of the sandbox's WeChat side: orders, refunds and callback deliveries, their JSON
// as the API shows them (transaction, refund, notification plaintext, the control API's order
// view), and their JSON in the state file.

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wechatpay::sandbox::internal {

/// One attempt to deliver a callback and what came back.
struct DeliveryRecord {
  std::string notification_id;
  std::string event_type;
  std::string url;
  int attempt = 0;
  std::string sent_at;
  /// HTTP status of the answer; 0 when none arrived.
  int status = 0;
  /// Why no answer arrived.
  std::string error;
  /// The start of the receiver's answer body.
  std::string answer;
};

/// A refund.
struct RefundRecord {
  std::string out_refund_no;
  std::string refund_id;
  std::string out_trade_no;
  std::string transaction_id;
  /// The request body as received (a repeated out_refund_no must match it).
  std::string body;
  std::int64_t refund = 0;
  std::int64_t total = 0;
  std::string currency = "CNY";
  std::optional<std::string> reason;
  std::optional<std::string> notify_url;
  std::optional<std::string> funds_account;
  /// PROCESSING, then SUCCESS (after the processing delay), ABNORMAL or CLOSED (control API);
  /// ABNORMAL → PROCESSING again when the merchant applies for an abnormal refund.
  std::string status = "PROCESSING";
  /// ORIGINAL; OTHER_BANKCARD once an abnormal refund was applied for.
  std::string channel = "ORIGINAL";
  /// Where the money goes, when an abnormal refund changed it (else the original account).
  std::optional<std::string> received_account;
  /// Which processing this is: 0 for the refund itself, one more per abnormal-refund
  /// application. A scheduled completion completes only its own round, so the timer of the
  /// first processing cannot finish a payout applied for later. Not saved: after a restart
  /// every PROCESSING refund is scheduled afresh with the round it has.
  std::int64_t round = 0;
  std::string create_time;
  std::string success_time;
};

/// A Native order.
struct OrderRecord {
  std::string out_trade_no;
  std::string appid;
  std::string mchid;
  std::string description;
  std::string notify_url;
  std::optional<std::string> attach;
  std::optional<std::string> time_expire;
  /// The prepay body as first received (reentrant orders must match it).
  std::string body;
  std::int64_t total = 0;
  std::string currency = "CNY";
  /// NOTPAY, USERPAYING, SUCCESS, REFUND, CLOSED or PAYERROR.
  std::string trade_state = "NOTPAY";
  std::string code_url;
  /// When the code_url stops being valid (Unix ms; 2 h of WeChat time after it was issued).
  std::int64_t code_url_expires_ms = 0;
  std::string create_time;
  std::string transaction_id;
  std::string success_time;
  std::string openid;
  std::string bank_type;
  std::int64_t payer_total = 0;
  /// out_refund_no of each refund, oldest first.
  std::vector<std::string> refunds;
  /// Every callback delivery attempt for this order (payment and refunds), oldest first.
  std::vector<DeliveryRecord> deliveries;
};

/// The transaction object of a query and of TRANSACTION.SUCCESS (docs/protocol.md, "Transaction
/// object"), in the shape WeChat answers for the order's state (unpaid, paying or paid).
std::string TransactionJson(OrderRecord const& order);

/// The refund object of the refund APIs (docs/protocol.md, "Models").
std::string RefundJson(RefundRecord const& refund);

/// The REFUND.* notification plaintext (docs/protocol.md, "Delivery"); success_time only for
/// SUCCESS.
std::string RefundNotificationJson(RefundRecord const& refund, std::string const& mchid,
                                   std::int64_t payer_total);

/// One delivery as the control API shows it.
std::string DeliveryJson(DeliveryRecord const& delivery);

/// State-file JSON of an order / a refund.
std::string OrderState(OrderRecord const& order);
std::string RefundState(RefundRecord const& refund);

/// Reads what OrderState / RefundState wrote; false when a required member is missing.
bool ReadOrderState(rapidjson::Value const& value, OrderRecord& order);
bool ReadRefundState(rapidjson::Value const& value, RefundRecord& refund);

/// The human-readable trade_state_desc WeChat pairs with each state.
std::string TradeStateDescription(std::string const& trade_state);

}  // namespace wechatpay::sandbox::internal
