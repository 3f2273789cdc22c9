// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "notify/notification_codec.hpp"

// The notification's JSON goes through the library's one reader (json/json_reader.hpp): the
// same parse policy as every answer, the same object reader, and for a refund's resource the
// same element readers as the refund answer (json/json_codec.hpp).

#include <string>
#include <utility>

#include "json/json_codec.hpp"
#include "json/json_reader.hpp"

namespace wechatpay::internal {
namespace {

// Errors name the member as ErrorInfo::field does: "resource.nonce", "plaintext.amount.total".
constexpr JsonErrorStyle kNotificationStyle{JsonErrorStyle::Path::kDotted,
                                            "notification rejected: ", true};

// Parses `text` into `doc` as one JSON object; `field` and `what` name it in errors.
Status ParseObject(std::string_view text, std::string_view field, std::string_view what,
                   JsonDocument& doc) {
  if (auto problem = doc.ParseObject(text); !problem.empty()) {
    return NotificationError(field,
                             std::string(what) + " is not a JSON object: the JSON text " + problem);
  }
  return {};
}

}  // namespace

Status NotificationError(std::string_view field, std::string message) {
  ErrorInfo info;
  info.field = std::string(field);
  return Status(StatusCode::kMalformedResponse, "notification rejected: " + std::move(message),
                std::move(info));
}

StatusOr<NotificationEnvelope> ParseNotificationEnvelope(std::string_view body) {
  JsonDocument doc;
  if (auto status = ParseObject(body, "envelope", "the notification body", doc); !status.ok()) {
    return status;
  }
  Status error;
  NotificationEnvelope e;
  JsonObjectReader r(doc.root(), kNotificationStyle, "", &error);
  r.ReadRequired("id", e.id);
  r.Read("create_time", e.create_time);
  r.ReadRequired("event_type", e.event_type);
  r.Read("resource_type", e.resource_type);
  r.Read("summary", e.summary);
  if (auto const* resource = r.RequiredObject("resource")) {
    JsonObjectReader rr(*resource, r, "resource");
    rr.Read("original_type", e.original_type);
    rr.Read("algorithm", e.algorithm);
    rr.ReadRequired("ciphertext", e.ciphertext);
    rr.ReadRequired("nonce", e.nonce);
    // May be empty; absent reads as "" as in the official Java SDK. The GCM tag covers it.
    rr.Read("associated_data", e.associated_data);
  }
  if (!error.ok()) return error;
  return e;
}

Status CheckPlaintextIsJsonObject(std::string_view text) {
  JsonDocument doc;
  return ParseObject(text, "plaintext", "the decrypted resource", doc);
}

StatusOr<RefundNotification> ParseRefundNotification(std::string_view text) {
  JsonDocument doc;
  if (auto status = ParseObject(text, "plaintext", "the decrypted resource", doc); !status.ok()) {
    return status;
  }
  Status error;
  RefundNotification n;
  JsonObjectReader r(doc.root(), kNotificationStyle, "plaintext", &error);
  r.ReadRequired("mchid", n.mchid);
  r.ReadRequired("transaction_id", n.transaction_id);
  r.ReadRequired("out_trade_no", n.out_trade_no);
  r.ReadRequired("refund_id", n.refund_id);
  r.ReadRequired("out_refund_no", n.out_refund_no);
  r.ReadRequired("refund_status", n.refund_status);
  r.Read("success_time", n.success_time);
  r.Read("user_received_account", n.user_received_account);
  // The members below WeChat's table: what the official Java SDK's model reads.
  r.Read("create_time", n.create_time);
  r.Read("channel", n.channel);
  r.Read("funds_account", n.funds_account);
  r.ReadObjects("promotion_detail", n.promotion_detail, ReadRefundPromotion);
  if (auto const* amount = r.RequiredObject("amount")) {
    JsonObjectReader ar(*amount, r, "amount");
    ar.ReadRequired("total", n.amount.total);
    ar.ReadRequired("refund", n.amount.refund);
    ar.ReadRequired("payer_total", n.amount.payer_total);
    ar.ReadRequired("payer_refund", n.amount.payer_refund);
    ar.ReadObjects("from", n.amount.from, ReadFundsFrom);
    ar.Read("settlement_refund", n.amount.settlement_refund);
    ar.Read("settlement_total", n.amount.settlement_total);
    ar.Read("discount_refund", n.amount.discount_refund);
    ar.Read("currency", n.amount.currency);
    ar.Read("refund_fee", n.amount.refund_fee);
  }
  if (!error.ok()) return error;
  n.raw_json = std::string(text);
  return n;
}

}  // namespace wechatpay::internal
