// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// pay-common's validation messages are not documented; the texts below say what the template's
// validator checks (PAY_COMMON.md d.2) in its language. WeChat-level errors are not errors at
// this layer: node-v3 catches them and returns {status, errRaw, error} (d.4), which the
// controller wraps in code:0 — the trap a client must not fall into.
#include "pay_common.hpp"

#include <initializer_list>
#include <optional>

#include <string_view>

#include "json_util.hpp"
#include "random_ids.hpp"

namespace wechatpay::sandbox::internal {
namespace {

using rapidjson::Value;

// ALLOWED_ACTIONS of routes/pay.js (PAY_COMMON.md d.1).
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

bool IsPositiveInteger(Value const* value) {
  return value != nullptr && value->IsInt64() && value->GetInt64() > 0;
}

bool IsPayCommonOutTradeNo(std::string const& text) {
  if (text.size() < 6 || text.size() > 32) return false;
  for (char c : text) {
    bool const ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::size_t CodePoints(std::string const& text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

// `body` without pay-common's own members, with `first` members put in front.
std::string Forward(Value const& body,
                    std::initializer_list<std::pair<char const*, std::string>> first,
                    std::initializer_list<std::pair<char const*, std::string>> last) {
  rapidjson::Document out(rapidjson::kObjectType);
  auto& alloc = out.GetAllocator();
  auto skip = [&](std::string_view name) {
    if (name == "_action" || name == "useServiceAccount" || name == "path") return true;
    for (auto const& [key, value] : first) {
      if (name == key) return true;
    }
    for (auto const& [key, value] : last) {
      if (name == key) return true;
    }
    return false;
  };
  for (auto const& [key, value] : first) {
    out.AddMember(Value(key, alloc), Value(value.c_str(), alloc), alloc);
  }
  for (auto it = body.MemberBegin(); it != body.MemberEnd(); ++it) {
    if (skip(std::string_view(it->name.GetString(), it->name.GetStringLength()))) continue;
    out.AddMember(Value(it->name, alloc), Value(it->value, alloc), alloc);
  }
  for (auto const& [key, value] : last) {
    out.AddMember(Value(key, alloc), Value(value.c_str(), alloc), alloc);
  }
  return ToJson(out);
}

std::optional<std::string> RequiredString(Value const& body, char const* key) {
  auto value = GetString(body, key);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

}  // namespace

Answer PayCommon::Handle(rapidjson::Value const& body) const {
  // The gateway delivers every call to "/": the route comes from the body (PAY_COMMON.md d.1).
  std::string action;
  if (auto value = GetString(body, "_action")) {
    action = *value;
    constexpr std::string_view kPrefix = "/wx-pay/";
    if (action.compare(0, kPrefix.size(), kPrefix) == 0) action.erase(0, kPrefix.size());
  } else if (auto path = GetString(body, "path");
             path && path->find("/wx-pay/") != std::string::npos) {
    action = path->substr(path->find("/wx-pay/") + 8);
  } else {
    for (char const* key : {"rawData", "ParsedNotify"}) {
      auto const* notify = Member(body, key);
      auto event = notify ? GetString(*notify, "event_type") : std::nullopt;
      if (!event) continue;
      if (event->rfind("TRANSACTION.", 0) == 0) action = "unifiedOrderTrigger";
      if (event->rfind("REFUND.", 0) == 0) action = "refundTrigger";
      if (event->rfind("MCHTRANSFER.", 0) == 0) action = "transferTrigger";
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

Answer PayCommon::Dispatch(std::string const& action, rapidjson::Value const& body) const {
  std::string const& mchid = settings_.merchant_id;
  if (action == "wxpay_order_native") return OrderNative(body);
  if (action == "wxpay_query_order_by_out_trade_no") {
    auto no = RequiredString(body, "out_trade_no");
    if (!no) return Failure(400, "out_trade_no 不能为空");
    return Wrap(wechat_.QueryByOutTradeNo(*no, mchid, mchid));
  }
  if (action == "wxpay_query_order_by_transaction_id") {
    auto id = RequiredString(body, "transaction_id");
    if (!id) return Failure(400, "transaction_id 不能为空");
    return Wrap(wechat_.QueryById(*id, mchid, mchid));
  }
  if (action == "wxpay_close_order") {
    auto no = RequiredString(body, "out_trade_no");
    if (!no) return Failure(400, "out_trade_no 不能为空");
    return Wrap(wechat_.Close(*no, JsonObject().Str("mchid", mchid).Build(), mchid));
  }
  if (action == "wxpay_refund") return Refund(body);
  if (action == "wxpay_refund_query") {
    auto no = RequiredString(body, "out_refund_no");
    if (!no) return Failure(400, "out_refund_no 不能为空");
    return Wrap(wechat_.QueryRefund(*no));
  }
  return Failure(400, "sandbox: " + action +
                          " is not emulated (the sandbox emulates pay-common's Native actions)");
}

Answer PayCommon::OrderNative(rapidjson::Value const& body) const {
  auto description = GetString(body, "description");
  if (!description || description->empty()) return Failure(400, "description 不能为空");
  if (CodePoints(*description) > 127) return Failure(400, "description 长度不能超过127个字符");
  auto const* amount = Member(body, "amount");
  if (amount == nullptr || !amount->IsObject() || !IsPositiveInteger(Member(*amount, "total"))) {
    return Failure(400, "amount.total 必须为正整数（单位：分）");
  }
  std::string out_trade_no;
  if (auto const* given = Member(body, "out_trade_no")) {
    if (!given->IsString() || !IsPayCommonOutTradeNo(given->GetString())) {
      return Failure(400, "out_trade_no 必须为6-32位字母、数字、下划线或短横线");
    }
    out_trade_no = given->GetString();
  } else {
    // pay-common numbers the order itself when the caller does not.
    out_trade_no = "PC" + RandomDigits(18);
  }
  // useServiceAccount:true → the service account's AppID, whatever appid the body has;
  // otherwise body.appid || the configured appId (PAY_COMMON.md d.2).
  std::string appid = settings_.app_id;
  if (GetBool(body, "useServiceAccount").value_or(false)) {
    if (settings_.service_app_id.empty()) {
      return Failure(400, "useServiceAccount=true 但未配置 service_app_id");
    }
    appid = settings_.service_app_id;
  } else if (auto given = GetString(body, "appid"); given && !given->empty()) {
    appid = *given;
  }
  std::string notify_url = settings_.notify_url;
  if (auto given = GetString(body, "notify_url"); given && !given->empty()) notify_url = *given;
  std::string const wechat_body = Forward(body,
                                          {{"appid", appid},
                                           {"mchid", settings_.merchant_id},
                                           {"description", *description},
                                           {"out_trade_no", out_trade_no}},
                                          {{"notify_url", notify_url}});
  return Wrap(wechat_.Prepay(wechat_body, settings_.merchant_id));
}

Answer PayCommon::Refund(rapidjson::Value const& body) const {
  if (!RequiredString(body, "out_trade_no") && !RequiredString(body, "transaction_id")) {
    return Failure(400, "out_trade_no 和 transaction_id 必须提供一个");
  }
  if (!RequiredString(body, "out_refund_no")) return Failure(400, "out_refund_no 不能为空");
  auto const* amount = Member(body, "amount");
  if (amount == nullptr || !amount->IsObject() || !IsPositiveInteger(Member(*amount, "refund")) ||
      !IsPositiveInteger(Member(*amount, "total"))) {
    return Failure(400, "amount.refund 和 amount.total 必须为正整数（单位：分）");
  }
  if (Member(*amount, "refund")->GetInt64() > Member(*amount, "total")->GetInt64()) {
    return Failure(400, "退款金额不能大于订单金额 (amount.refund > amount.total)");
  }
  // node-v3 sends the amount with its currency; pay-common fills in CNY when the caller did not.
  rapidjson::Document copy;
  copy.CopyFrom(body, copy.GetAllocator());
  auto& alloc = copy.GetAllocator();
  auto& copied_amount = copy["amount"];
  if (!copied_amount.HasMember("currency")) copied_amount.AddMember("currency", "CNY", alloc);
  return Wrap(wechat_.CreateRefund(Forward(copy, {}, {})));
}

}  // namespace wechatpay::sandbox::internal
