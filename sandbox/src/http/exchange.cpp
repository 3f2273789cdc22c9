// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "http/exchange.hpp"

#include "http/json_util.hpp"
#include "state/random_ids.hpp"

namespace wechatpay::sandbox::internal {

std::optional<std::string> Inbound::Param(std::string const& name) const {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return it->second;
}

Answer JsonAnswer(int status, std::string body) {
  Answer answer;
  answer.status = status;
  answer.body = std::move(body);
  return answer;
}

Answer NoContent() {
  Answer answer;
  answer.status = 204;
  return answer;
}

Answer WeChatError(int status, std::string_view code, std::string_view message, int internal_code,
                   std::string_view detail_json) {
  JsonObject body;
  body.Str("code", code).Str("message", message);
  if (!detail_json.empty()) body.Raw("detail", detail_json);
  Answer answer = JsonAnswer(status, body.Build());
  answer.internal_code = internal_code;
  answer.wechat = true;
  return answer;
}

namespace {

// Labels of body members on WeChat's Native order page (pay.weixin.qq.com/doc/v3, "Native下单"),
// which WeChat quotes in PARAM_ERROR messages (输入源“/body/attach”映射到值字段“附加数据”…).
// Members not listed here are named by their JSON name.
struct Label {
  std::string_view member;
  std::string_view label;
};
constexpr Label kLabels[] = {
    {"description", "商品描述"},
    {"out_trade_no", "商户订单号"},
    {"time_expire", "交易结束时间"},
    {"attach", "附加数据"},
    {"notify_url", "通知地址"},
    {"goods_tag", "订单优惠标记"},
    {"settle_info", "结算信息"},
    {"amount", "订单金额"},
    {"detail", "优惠功能"},
    {"scene_info", "场景信息"},
    {"support_fapiao", "电子发票入口开放标识"},
    // The bill applications' query parameters (申请交易账单 / 申请资金账单).
    {"bill_date", "账单日期"},
    {"bill_type", "账单类型"},
    {"account_type", "资金账户类型"},
    {"tar_type", "压缩类型"},
};

std::string_view LabelOf(std::string_view field) {
  std::string_view const member = field.substr(field.rfind('/') + 1);
  for (auto const& known : kLabels) {
    if (known.member == member) return known.label;
  }
  return member;
}

// WeChat calls the path "uri_template" (输入源“/uri_template/out_trade_no”…).
std::string_view LocationName(std::string_view location) {
  return location == "path" ? std::string_view("uri_template") : location;
}

// The source WeChat names: "/body" + a JSON pointer, "/uri_template/" + a parameter name.
std::string SourceOf(std::string_view field, std::string_view location) {
  std::string source = "/" + std::string(LocationName(location));
  if (field.empty() || field.front() != '/') source += '/';
  return source + std::string(field);
}

Answer ParamErrorBody(std::string_view location, std::string const& value_json,
                      std::string const& message) {
  // Members in the order WeChat sends them (code, detail{location, value}, message).
  std::string const detail =
      JsonObject().Str("location", LocationName(location)).Raw("value", value_json).Build();
  Answer answer = JsonAnswer(400, JsonObject()
                                      .Str("code", "PARAM_ERROR")
                                      .Raw("detail", detail)
                                      .Str("message", message)
                                      .Build());
  answer.internal_code = wechat_code::kParamError;
  answer.wechat = true;
  return answer;
}

}  // namespace

Answer ParamError(std::string_view field, std::optional<std::string> const& value_json,
                  std::string_view issue, std::string_view location) {
  std::string const source = "输入源“" + SourceOf(field, location) + "”";
  std::string const label = "“" + std::string(LabelOf(field)) + "”";
  Answer answer =
      !value_json
          ? ParamErrorBody(location, "\"\"",
                           source + "映射到字段" + label + "必填性规则校验失败，此字段为必填项")
          : ParamErrorBody(location, *value_json,
                           source + "映射到值字段" + label + std::string(issue));
  // The field, not its value: the log must not quote what could be a secret.
  answer.refusal = "validation failed: field " + SourceOf(field, location) +
                   (value_json ? " breaks a rule" : " is missing") + " (PARAM_ERROR)";
  return answer;
}

Answer ParamLengthError(std::string_view field, std::size_t length, std::size_t max,
                        LengthUnit unit, std::string_view location) {
  std::string const count = unit == LengthUnit::kBytes ? "字节数 " : "字符数 ";
  return ParamError(field, std::to_string(length),
                    "字符串规则校验失败，" + count + std::to_string(length) + "，大于最大值 " +
                        std::to_string(max),
                    location);
}

std::string MakeRequestId(int internal_code) {
  // Observed ids are long upper-case hex with the internal error number after the last '-'.
  return "08" + RandomUpperHex(30) + "-" + std::to_string(internal_code);
}

}  // namespace wechatpay::sandbox::internal
