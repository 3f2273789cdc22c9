// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "state/order_model.hpp"

#include "http/json_util.hpp"

namespace wechatpay::sandbox::internal {
namespace {

constexpr char kUserReceivedAccount[] = "支付用户零钱";

std::string AmountJson(OrderRecord const& order) {
  return JsonObject()
      .Int("total", order.total)
      .Int("payer_total", order.payer_total)
      .Str("currency", order.currency)
      .Str("payer_currency", order.currency)
      .Build();
}

void ReadString(rapidjson::Value const& value, char const* key, std::string& out) {
  if (auto text = GetString(value, key)) out = *std::move(text);
}

void ReadOptional(rapidjson::Value const& value, char const* key, std::optional<std::string>& out) {
  out = GetString(value, key);
}

void ReadInt(rapidjson::Value const& value, char const* key, std::int64_t& out) {
  if (auto number = GetInt(value, key)) out = *number;
}

}  // namespace

std::string TradeStateDescription(std::string const& trade_state) {
  if (trade_state == "SUCCESS") return "支付成功";
  if (trade_state == "REFUND") return "转入退款";
  if (trade_state == "NOTPAY") return "订单未支付";
  if (trade_state == "CLOSED") return "订单已关闭";
  if (trade_state == "PAYERROR") return "支付失败，请重新下单支付";
  if (trade_state == "USERPAYING") return "用户支付中";
  return trade_state;
}

std::string TransactionJson(OrderRecord const& order) {
  // A payer entering the password: WeChat answers the bare state (docs/protocol.md, "Sandbox
  // fidelity").
  if (order.trade_state == "USERPAYING") {
    return JsonObject().Str("trade_state", order.trade_state).Build();
  }
  // An order nobody paid (NOTPAY, and likewise CLOSED and PAYERROR) as WeChat answers it: no
  // trade_type, no transaction_id, payer, attach or success_time, an amount without currency,
  // members in alphabetical order (the captures in docs/protocol.md, "Sandbox fidelity").
  if (order.transaction_id.empty()) {
    return JsonObject()
        .Raw("amount",
             JsonObject().Str("payer_currency", order.currency).Int("total", order.total).Build())
        .Str("appid", order.appid)
        .Str("mchid", order.mchid)
        .Str("out_trade_no", order.out_trade_no)
        .Raw("promotion_detail", "[]")
        .Raw("scene_info", JsonObject().Str("device_id", "").Build())
        .Str("trade_state", order.trade_state)
        .Str("trade_state_desc", TradeStateDescription(order.trade_state))
        .Build();
  }
  // Paid: attach, payer and success_time appear once paid (docs/protocol.md, "Transaction object").
  JsonObject transaction;
  transaction.Str("appid", order.appid).Str("mchid", order.mchid);
  transaction.Str("out_trade_no", order.out_trade_no);
  transaction.Str("transaction_id", order.transaction_id);
  transaction.Str("trade_type", "NATIVE");
  transaction.Str("trade_state", order.trade_state)
      .Str("trade_state_desc", TradeStateDescription(order.trade_state));
  transaction.Str("bank_type", order.bank_type);
  if (order.attach) transaction.Str("attach", *order.attach);
  transaction.Str("success_time", order.success_time);
  transaction.Raw("payer", JsonObject().Str("openid", order.openid).Build());
  return transaction.Raw("amount", AmountJson(order)).Build();
}

std::string RefundJson(RefundRecord const& refund) {
  JsonObject json;
  json.Str("refund_id", refund.refund_id)
      .Str("out_refund_no", refund.out_refund_no)
      .Str("transaction_id", refund.transaction_id)
      .Str("out_trade_no", refund.out_trade_no)
      .Str("channel", refund.channel)
      .Str("user_received_account", refund.received_account.value_or(kUserReceivedAccount));
  if (refund.status == "SUCCESS") json.Str("success_time", refund.success_time);
  json.Str("create_time", refund.create_time)
      .Str("status", refund.status)
      .Str("funds_account", refund.funds_account.value_or("AVAILABLE"));
  std::string const amount = JsonObject()
                                 .Int("total", refund.total)
                                 .Int("refund", refund.refund)
                                 .Raw("from", "[]")
                                 .Int("payer_total", refund.total)
                                 .Int("payer_refund", refund.refund)
                                 .Int("settlement_refund", refund.refund)
                                 .Int("settlement_total", refund.total)
                                 .Int("discount_refund", 0)
                                 .Str("currency", refund.currency)
                                 .Int("refund_fee", 0)
                                 .Build();
  return json.Raw("amount", amount).Raw("promotion_detail", "[]").Build();
}

std::string RefundNotificationJson(RefundRecord const& refund, std::string const& mchid,
                                   std::int64_t payer_total) {
  std::string const amount = JsonObject()
                                 .Int("total", refund.total)
                                 .Int("refund", refund.refund)
                                 .Int("payer_total", payer_total)
                                 .Int("payer_refund", refund.refund)
                                 .Build();
  return JsonObject()
      .Str("mchid", mchid)
      .Str("transaction_id", refund.transaction_id)
      .Str("out_trade_no", refund.out_trade_no)
      .Str("refund_id", refund.refund_id)
      .Str("out_refund_no", refund.out_refund_no)
      .Str("refund_status", refund.status)
      .OptStr("success_time", refund.status == "SUCCESS"
                                  ? std::optional<std::string>(refund.success_time)
                                  : std::nullopt)
      .Str("user_received_account", refund.received_account.value_or(kUserReceivedAccount))
      .Raw("amount", amount)
      .Build();
}

std::string DeliveryJson(DeliveryRecord const& delivery) {
  JsonObject json;
  json.Str("notification_id", delivery.notification_id)
      .Str("event_type", delivery.event_type)
      .Str("url", delivery.url)
      .Int("attempt", delivery.attempt)
      .Str("sent_at", delivery.sent_at)
      .Int("status", delivery.status);
  if (!delivery.error.empty()) json.Str("error", delivery.error);
  return json.Str("answer", delivery.answer).Build();
}

std::string OrderState(OrderRecord const& order) {
  std::vector<std::string> refunds;
  for (auto const& no : order.refunds) refunds.push_back(JsonQuote(no));
  std::vector<std::string> deliveries;
  for (auto const& d : order.deliveries) deliveries.push_back(DeliveryJson(d));
  return JsonObject()
      .Str("out_trade_no", order.out_trade_no)
      .Str("appid", order.appid)
      .Str("mchid", order.mchid)
      .Str("description", order.description)
      .Str("notify_url", order.notify_url)
      .OptStr("attach", order.attach)
      .OptStr("time_expire", order.time_expire)
      .Str("body", order.body)
      .Int("total", order.total)
      .Str("currency", order.currency)
      .Str("trade_state", order.trade_state)
      .Str("code_url", order.code_url)
      .Int("code_url_expires_ms", order.code_url_expires_ms)
      .Str("create_time", order.create_time)
      .Str("transaction_id", order.transaction_id)
      .Str("success_time", order.success_time)
      .Str("openid", order.openid)
      .Str("bank_type", order.bank_type)
      .Int("payer_total", order.payer_total)
      .Raw("refunds", JsonArray(refunds))
      .Raw("deliveries", JsonArray(deliveries))
      .Build();
}

std::string RefundState(RefundRecord const& refund) {
  return JsonObject()
      .Str("out_refund_no", refund.out_refund_no)
      .Str("refund_id", refund.refund_id)
      .Str("out_trade_no", refund.out_trade_no)
      .Str("transaction_id", refund.transaction_id)
      .Str("body", refund.body)
      .Int("refund", refund.refund)
      .Int("total", refund.total)
      .Str("currency", refund.currency)
      .OptStr("reason", refund.reason)
      .OptStr("notify_url", refund.notify_url)
      .OptStr("funds_account", refund.funds_account)
      .Str("status", refund.status)
      .Str("channel", refund.channel)
      .OptStr("received_account", refund.received_account)
      .Str("create_time", refund.create_time)
      .Str("success_time", refund.success_time)
      .Build();
}

bool ReadOrderState(rapidjson::Value const& value, OrderRecord& order) {
  if (!GetString(value, "out_trade_no")) return false;
  ReadString(value, "out_trade_no", order.out_trade_no);
  ReadString(value, "appid", order.appid);
  ReadString(value, "mchid", order.mchid);
  ReadString(value, "description", order.description);
  ReadString(value, "notify_url", order.notify_url);
  ReadOptional(value, "attach", order.attach);
  ReadOptional(value, "time_expire", order.time_expire);
  ReadString(value, "body", order.body);
  ReadInt(value, "total", order.total);
  ReadString(value, "currency", order.currency);
  ReadString(value, "trade_state", order.trade_state);
  ReadString(value, "code_url", order.code_url);
  ReadInt(value, "code_url_expires_ms", order.code_url_expires_ms);
  ReadString(value, "create_time", order.create_time);
  ReadString(value, "transaction_id", order.transaction_id);
  ReadString(value, "success_time", order.success_time);
  ReadString(value, "openid", order.openid);
  ReadString(value, "bank_type", order.bank_type);
  ReadInt(value, "payer_total", order.payer_total);
  if (auto const* refunds = Member(value, "refunds"); refunds && refunds->IsArray()) {
    for (auto const& no : refunds->GetArray()) {
      if (no.IsString()) order.refunds.emplace_back(no.GetString(), no.GetStringLength());
    }
  }
  if (auto const* deliveries = Member(value, "deliveries"); deliveries && deliveries->IsArray()) {
    for (auto const& d : deliveries->GetArray()) {
      DeliveryRecord record;
      ReadString(d, "notification_id", record.notification_id);
      ReadString(d, "event_type", record.event_type);
      ReadString(d, "url", record.url);
      std::int64_t number = 0;
      ReadInt(d, "attempt", number);
      record.attempt = static_cast<int>(number);
      number = 0;
      ReadInt(d, "status", number);
      record.status = static_cast<int>(number);
      ReadString(d, "sent_at", record.sent_at);
      ReadString(d, "error", record.error);
      ReadString(d, "answer", record.answer);
      order.deliveries.push_back(std::move(record));
    }
  }
  return true;
}

bool ReadRefundState(rapidjson::Value const& value, RefundRecord& refund) {
  if (!GetString(value, "out_refund_no")) return false;
  ReadString(value, "out_refund_no", refund.out_refund_no);
  ReadString(value, "refund_id", refund.refund_id);
  ReadString(value, "out_trade_no", refund.out_trade_no);
  ReadString(value, "transaction_id", refund.transaction_id);
  ReadString(value, "body", refund.body);
  ReadInt(value, "refund", refund.refund);
  ReadInt(value, "total", refund.total);
  ReadString(value, "currency", refund.currency);
  ReadOptional(value, "reason", refund.reason);
  ReadOptional(value, "notify_url", refund.notify_url);
  ReadOptional(value, "funds_account", refund.funds_account);
  ReadString(value, "status", refund.status);
  ReadString(value, "channel", refund.channel);
  ReadOptional(value, "received_account", refund.received_account);
  ReadString(value, "create_time", refund.create_time);
  ReadString(value, "success_time", refund.success_time);
  return true;
}

}  // namespace wechatpay::sandbox::internal
