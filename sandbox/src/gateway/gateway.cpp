// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Decisions (the gateway's exact answers are partly unconfirmed: docs/protocol.md,
// "Gateway errors"):
// - 401 bodies use the documented error shape {code,message,requestId}: MISSING_CREDENTIALS
//   (no Authorization), INVALID_CREDENTIALS (not a Bearer token, or a token the sandbox never
//   issued), ACCESS_TOKEN_EXPIRED, and for an anonymous login's token AUTHENTICATION_FAILED with
//   a message saying an authenticated, non-anonymous login is required: pay-common moves money,
//   so its deployments admit only signed-in users.
// - The caller is authenticated before the function is looked up, as an API gateway does.
// - A call without webfn=true (or X-Tcb-Webfn: true) is refused with 400 FUNCTION_PARAM_INVALID:
//   pay-common is an HTTP function, and "调用 HTTP 云函数时，必须在请求 URL 中添加 webfn=true
//   参数".
#include "gateway/gateway.hpp"

#include <rapidjson/document.h>

#include "http/json_util.hpp"
#include "state/random_ids.hpp"

namespace wechatpay::sandbox::internal {
namespace {

Answer GatewayError(int status, std::string const& code, std::string const& message,
                    std::string const& request_id) {
  return JsonAnswer(
      status,
      JsonObject().Str("code", code).Str("message", message).Str("requestId", request_id).Build());
}

Answer Route(Inbound const& request, std::string const& function_name, TokenStore const& tokens,
             PayCommon const& pay_common, std::string const& request_id) {
  std::string const authorization(request.headers.Get("Authorization"));
  if (authorization.empty()) {
    return GatewayError(
        401, "MISSING_CREDENTIALS",
        "请求头中缺少必要的身份鉴权信息 (send Authorization: Bearer <access token>)", request_id);
  }
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.compare(0, kBearer.size(), kBearer) != 0) {
    return GatewayError(401, "INVALID_CREDENTIALS",
                        "凭证无效：Authorization 必须是 Bearer access token", request_id);
  }
  switch (tokens.Check(std::string_view(authorization).substr(kBearer.size()))) {
    case TokenStore::Verdict::kUnknown:
      return GatewayError(401, "INVALID_CREDENTIALS", "凭证无效：access token 不存在或已被吊销",
                          request_id);
    case TokenStore::Verdict::kExpired:
      return GatewayError(401, "ACCESS_TOKEN_EXPIRED", "access token 已过期，请重新登录获取",
                          request_id);
    case TokenStore::Verdict::kAnonymous:
      return GatewayError(401, "AUTHENTICATION_FAILED",
                          "匿名登录用户无权调用此函数 (an authenticated, non-anonymous login is "
                          "required to call pay-common)",
                          request_id);
    case TokenStore::Verdict::kValid:
      break;
  }
  std::string const name = request.path.substr(std::string_view(kFunctionsPrefix).size());
  if (name != function_name) {
    return GatewayError(404, "FUNCTION_NOT_FOUND", "函数不存在: " + name, request_id);
  }
  if (request.method != "POST") {
    return GatewayError(405, "METHOD_NOT_ALLOWED", "函数调用只支持 POST", request_id);
  }
  if (request.Param("webfn").value_or("") != "true" &&
      request.headers.Get("X-Tcb-Webfn") != "true") {
    return GatewayError(400, "FUNCTION_PARAM_INVALID",
                        "调用 HTTP 云函数时，必须在请求 URL 中添加 webfn=true 参数", request_id);
  }
  rapidjson::Document body;
  if (!ParseJson(request.body, body) || !body.IsObject()) {
    return GatewayError(400, "FUNCTION_PARAM_INVALID",
                        "bad http request body (" + request_id +
                            "). For more information, please refer to "
                            "https://docs.cloudbase.net/error-code/service",
                        request_id);
  }
  Answer answer = pay_common.Handle(body);
  answer.content_type = "application/json; charset=utf-8";
  return answer;
}

}  // namespace

Answer Gateway::Handle(Inbound const& request) const {
  std::string const request_id = RandomUuid();
  Answer answer = Route(request, function_name_, tokens_, pay_common_, request_id);
  answer.headers.Set("X-Request-Id", request_id);
  return answer;
}

}  // namespace wechatpay::sandbox::internal
