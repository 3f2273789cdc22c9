// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "exchange.hpp"

#include "json_util.hpp"
#include "random_ids.hpp"

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

Answer ParamError(std::string_view field, std::optional<std::string> const& value_json,
                  std::string_view issue, std::string_view location) {
  JsonObject detail;
  detail.Str("field", field);
  if (value_json) detail.Raw("value", *value_json);
  detail.Str("issue", issue).Str("location", location);
  return WeChatError(400, "PARAM_ERROR", "参数错误：" + std::string(issue),
                     wechat_code::kParamError, detail.Build());
}

std::string MakeRequestId(int internal_code) {
  // Observed ids are long upper-case hex with the internal error number after the last '-'.
  return "08" + RandomUpperHex(30) + "-" + std::to_string(internal_code);
}

}  // namespace wechatpay::sandbox::internal
