// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// pay-common does only what the template's code does (docs/protocol.md, "Sandbox fidelity"):
// app.js routes by `_action` (removed from the body) or `path` (removed with `method`);
// utils/validator.js checks orders and refunds and answers every failed check at once, joined
// by "; "; payService fills in appid, mchid and the payment notify URL of an order and the
// refund notify URL of a refund, nothing else: no out_trade_no is made up and no currency is
// added to a refund (WeChat then answers PARAM_ERROR, inside code:0). JavaScript truthiness
// decides what counts as given. WeChat-level errors are not errors at this layer: node-v3
// catches them and returns {status, errRaw, error}, which the controller wraps in code:0 — the
// trap a client must not fall into.
#include "gateway/pay_common.hpp"

#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "http/json_util.hpp"

namespace wechatpay::sandbox::internal {
namespace {

using rapidjson::Value;

// ALLOWED_ACTIONS of routes/pay.js (docs/protocol.md, "Routing").
constexpr std::string_view kAllowedActions[] = {
    "wxpay_order",
    "wxpay_order_h5",
    "wxpay_order_native",
    "wxpay_query_order_by_out_trade_no",
    "wxpay_query_order_by_transaction_id",
    "wxpay_close_order",
    "wxpay_refund",
    "wxpay_refund_query",
    "wxpay_transfer",
    "wxpay_transfer_bill_query",
    "wxpay_transfer_bill_query_by_no",
    "wxpay_transfer_batch_query",
    "unifiedOrderTrigger",
    "refundTrigger",
    "transferTrigger",
};

constexpr std::string_view kRouteMarker = "/wx-pay/";

Answer Failure(int status, std::string const& msg) {
  return JsonAnswer(status,
                    JsonObject().Int("code", -1).Str("msg", msg).Raw("data", "null").Build());
}

Answer Success(std::string const& data_json) {
  return JsonAnswer(
      200, JsonObject().Int("code", 0).Str("msg", "success").Raw("data", data_json).Build());
}

// node-v3's Output for WeChat's answer, wrapped by the controller.
Answer Wrap(Answer const& wechat) {
  if (wechat.status >= 200 && wechat.status < 300) {
    JsonObject output;
    output.Int("status", wechat.status);
    if (!wechat.body.empty()) output.Raw("data", wechat.body);
    return Success(output.Build());
  }
  // JSON.parse(JSON.stringify(superagentError)): the status and the response as superagent
  // serialises it (never the request's Authorization).
  std::string const request_id = MakeRequestId(wechat.internal_code);
  std::string const response =
      JsonObject()
          .Int("status", wechat.status)
          .Str("text", wechat.body)
          .Raw("header", JsonObject()
                             .Str("content-type", "application/json; charset=utf-8")
                             .Str("request-id", request_id)
                             .Build())
          .Build();
  std::string const err_raw = JsonObject()
                                  .Int("status", wechat.status)
                                  .Str("text", wechat.body)
                                  .Raw("response", response)
                                  .Build();
  return Success(JsonObject()
                     .Int("status", wechat.status)
                     .Raw("errRaw", err_raw)
                     .Str("error", wechat.body)
                     .Build());
}

// JavaScript's truthiness: absent, null, false, 0 and "" are falsy.
bool Truthy(Value const* value) {
  if (value == nullptr || value->IsNull() || value->IsFalse()) return false;
  if (value->IsString()) return value->GetStringLength() > 0;
  if (value->IsNumber()) return value->GetDouble() != 0;
  return true;
}

bool Truthy(Value const& body, char const* key) { return Truthy(Member(body, key)); }

// What `${value}` gives for the strings and numbers a caller sends (objects are refused by
// WeChat either way).
std::string Text(Value const& value) {
  if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
  return ToJson(value);
}

// Number.isInteger(value) && value > 0.
bool IsPositiveInteger(Value const* value) {
  return value != nullptr && value->IsInt64() && value->GetInt64() > 0;
}

// String.prototype.length: UTF-16 code units (a character outside the BMP counts twice).
std::size_t Utf16Length(Value const& text) {
  std::size_t units = 0;
  for (rapidjson::SizeType i = 0; i < text.GetStringLength(); ++i) {
    auto const c = static_cast<unsigned char>(text.GetString()[i]);
    if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
  }
  return units;
}

bool IsOutTradeNoChars(std::string const& text) {
  for (char c : text) {
    bool const ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return !text.empty();
}

std::string Joined(std::vector<std::string> const& errors) {
  std::string text;
  for (auto const& error : errors) text += (text.empty() ? "" : "; ") + error;
  return text;
}

// validateOrderParams.
std::vector<std::string> OrderErrors(Value const& body) {
  std::vector<std::string> errors;
  auto const* description = Member(body, "description");
  if (!Truthy(description) || !description->IsString()) {
    errors.emplace_back("description（商品描述）必填");
  } else if (Utf16Length(*description) > 127) {
    errors.emplace_back("description（商品描述）不能超过 127 个字符");
  }
  auto const* amount = Member(body, "amount");
  auto const* total = amount != nullptr ? Member(*amount, "total") : nullptr;
  if (!Truthy(amount) || !Truthy(total)) {
    errors.emplace_back("amount.total（订单金额）必填");
  } else if (!IsPositiveInteger(total)) {
    errors.emplace_back("amount.total（订单金额）必须为正整数（单位：分）");
  }
  if (auto const* no = Member(body, "out_trade_no"); Truthy(no)) {
    std::size_t const length = no->IsString() ? Utf16Length(*no) : 0;
    if (!no->IsString() || length < 6 || length > 32) {
      errors.emplace_back("out_trade_no（商户订单号）长度必须 6-32 位");
    }
    if (!IsOutTradeNoChars(Text(*no))) {
      errors.emplace_back("out_trade_no（商户订单号）只能包含字母、数字、下划线、连字符");
    }
  }
  return errors;
}

// validateRefundParams.
std::vector<std::string> RefundErrors(Value const& body) {
  std::vector<std::string> errors;
  if (!Truthy(body, "out_trade_no") && !Truthy(body, "transaction_id")) {
    errors.emplace_back("out_trade_no 或 transaction_id 至少填一个");
  }
  if (!Truthy(body, "out_refund_no")) errors.emplace_back("out_refund_no（商户退款单号）必填");
  auto const* amount = Member(body, "amount");
  if (!Truthy(amount)) {
    errors.emplace_back("amount（金额信息）必填");
    return errors;
  }
  auto const* refund = Member(*amount, "refund");
  auto const* total = Member(*amount, "total");
  if (!IsPositiveInteger(refund)) errors.emplace_back("amount.refund（退款金额）必须为正整数");
  if (!IsPositiveInteger(total)) errors.emplace_back("amount.total（订单金额）必须为正整数");
  if (refund != nullptr && total != nullptr && refund->IsNumber() && total->IsNumber() &&
      refund->GetDouble() > total->GetDouble()) {
    errors.emplace_back("amount.refund（退款金额）不能大于 amount.total（订单金额）");
  }
  return errors;
}

// A copy of `body` with `key` set to `value`: in place when present, else appended.
void Set(rapidjson::Document& body, char const* key, std::string const& value) {
  auto& alloc = body.GetAllocator();
  Value text(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), alloc);
  if (auto it = body.FindMember(key); it != body.MemberEnd()) {
    it->value = text;
  } else {
    body.AddMember(Value(key, alloc), text, alloc);
  }
}

}  // namespace

Answer PayCommon::Handle(rapidjson::Value const& request_body) const {
  // app.js: the gateway delivers every call to "/", so the route comes from the body, whose
  // routing members are removed before the route sees it (docs/protocol.md, "Routing").
  rapidjson::Document body;
  body.CopyFrom(request_body, body.GetAllocator());
  std::string action;
  if (auto const* given = Member(body, "_action"); Truthy(given)) {
    action = Text(*given);
    if (auto at = action.rfind(kRouteMarker); at != std::string::npos) {
      action.erase(0, at + kRouteMarker.size());
    }
    body.RemoveMember("_action");
  } else if (auto path = GetString(body, "path");
             path && path->find(kRouteMarker) != std::string::npos) {
    action = path->substr(path->rfind(kRouteMarker) + kRouteMarker.size());
    body.RemoveMember("path");
    body.RemoveMember("method");
  } else {
    for (char const* key : {"rawData", "ParsedNotify"}) {
      auto const* notify = Member(body, key);
      auto event = notify ? GetString(*notify, "event_type") : std::nullopt;
      if (!event) continue;
      if (event->rfind("TRANSACTION.", 0) == 0) action = "unifiedOrderTrigger";
      if (event->rfind("REFUND.", 0) == 0) action = "refundTrigger";
      if (event->rfind("MCHTRANSFER.", 0) == 0) action = "transferTrigger";
      break;
    }
  }
  if (action.empty()) {
    // Express finds no route for POST / (development mode shows the error's message).
    return JsonAnswer(404, JsonObject().Int("code", -1).Str("msg", "Not Found").Build());
  }
  bool allowed = false;
  for (auto known : kAllowedActions) allowed = allowed || action == known;
  if (!allowed) {
    return JsonAnswer(400,
                      JsonObject().Int("code", -1).Str("msg", "不支持的操作: " + action).Build());
  }
  return Dispatch(action, body);
}

Answer PayCommon::Dispatch(std::string const& action, rapidjson::Document& body) const {
  std::string const& mchid = settings_.merchant_id;
  if (action == "wxpay_order_native") return OrderNative(body);
  if (action == "wxpay_query_order_by_out_trade_no" ||
      action == "wxpay_query_order_by_transaction_id") {
    bool const by_id = action == "wxpay_query_order_by_transaction_id";
    if (!Truthy(body, by_id ? "transaction_id" : "out_trade_no")) {
      return Failure(400, by_id ? "transaction_id 必填" : "out_trade_no 必填");
    }
    // node-v3's query() takes transaction_id first, whichever route was called.
    if (Truthy(body, "transaction_id")) {
      return Wrap(wechat_.QueryById(Text(body["transaction_id"]), mchid, mchid));
    }
    return Wrap(wechat_.QueryByOutTradeNo(Text(body["out_trade_no"]), mchid, mchid));
  }
  if (action == "wxpay_close_order") {
    if (!Truthy(body, "out_trade_no")) return Failure(400, "out_trade_no 必填");
    return Wrap(
        wechat_.Close(Text(body["out_trade_no"]), JsonObject().Str("mchid", mchid).Build(), mchid));
  }
  if (action == "wxpay_refund") return Refund(body);
  if (action == "wxpay_refund_query") {
    if (!Truthy(body, "out_refund_no")) return Failure(400, "out_refund_no 必填");
    return Wrap(wechat_.QueryRefund(Text(body["out_refund_no"])));
  }
  return Failure(400, "sandbox: " + action +
                          " is not emulated (the sandbox emulates pay-common's Native actions)");
}

Answer PayCommon::OrderNative(rapidjson::Document& body) const {
  if (auto errors = OrderErrors(body); !errors.empty()) return Failure(400, Joined(errors));
  // payService.unifiedOrder: useServiceAccount → the service account's AppID, else
  // body.appid || the configured appId; useServiceAccount itself never reaches WeChat; then
  // mchid and notify_url when the body has none.
  std::string appid = settings_.app_id;
  if (Truthy(body, "useServiceAccount")) {
    if (settings_.service_app_id.empty()) {
      return Failure(400,
                     "useServiceAccount=true 但未配置 service_app_id 环境变量，请在 CloudBase "
                     "控制台为 pay-common 云函数添加该环境变量");
    }
    appid = settings_.service_app_id;
  } else if (Truthy(body, "appid")) {
    appid = Text(body["appid"]);
  }
  body.RemoveMember("useServiceAccount");
  Set(body, "appid", appid);
  if (!Truthy(body, "mchid")) Set(body, "mchid", settings_.merchant_id);
  if (!Truthy(body, "notify_url")) Set(body, "notify_url", settings_.notify_url);
  // node-v3 transactions_native signs with its own mchid whatever the body says.
  return Wrap(wechat_.Prepay(ToJson(body), settings_.merchant_id));
}

Answer PayCommon::Refund(rapidjson::Document& body) const {
  if (auto errors = RefundErrors(body); !errors.empty()) return Failure(400, Joined(errors));
  // payService.refund: the refund notify URL when the body has none; node-v3 refunds() sends
  // the rest as it is.
  if (!Truthy(body, "notify_url")) Set(body, "notify_url", settings_.refund_notify_url);
  return Wrap(wechat_.CreateRefund(ToJson(body)));
}

}  // namespace wechatpay::sandbox::internal
