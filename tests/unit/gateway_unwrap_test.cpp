// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// UnwrapGatewayResponse on its own: every answer shape of the CloudBase gateway and pay-common
// (docs/protocol.md, "Answers" and "Gateway errors"), and what each one means for retries, tokens
// and unknown outcomes.

#include <string>

#include "catch.hpp"
#include "channel/gateway_unwrap.hpp"

namespace wechatpay {
namespace {

using internal::GatewayOutcome;
using internal::UnwrapGatewayResponse;

// What an outcome's row in the retry table (retry_table.hpp) means for repeating the request.
enum class GatewayRetry { kNo, kReadsOnly, kYes };

GatewayRetry Retry(GatewayOutcome const& outcome) {
  if (outcome.result.ok()) return GatewayRetry::kNo;
  auto const rule = internal::RuleFor(outcome.failure);
  if (rule.retry_write) return GatewayRetry::kYes;
  return rule.retry_read ? GatewayRetry::kReadsOnly : GatewayRetry::kNo;
}

// A write that ends with this answer may have been applied (its outcome is unknown).
bool MayHaveBeenApplied(GatewayOutcome const& outcome) {
  return !outcome.result.ok() && internal::RuleFor(outcome.failure).write_outcome_unknown;
}

constexpr char kGatewayId[] = "gw-7f3a-0001";

HttpResponse Answer(int status, std::string body, bool with_id = true) {
  HttpResponse response;
  response.status_code = status;
  response.body = std::move(body);
  response.headers.Add("Content-Type", "application/json");
  if (with_id) response.headers.Add("X-Request-Id", kGatewayId);
  return response;
}

GatewayOutcome Unwrap(int status, std::string body) {
  return UnwrapGatewayResponse(Answer(status, std::move(body)));
}

bool Contains(std::string const& text, std::string const& part) {
  return text.find(part) != std::string::npos;
}

// A malformed 2xx: the function ran, so a write's outcome is open; never retried.
void CheckMalformed(GatewayOutcome const& outcome, std::string const& names) {
  REQUIRE_FALSE(outcome.result.ok());
  auto const& status = outcome.result.status();
  INFO(status.message());
  CHECK(status.code() == StatusCode::kMalformedResponse);
  CHECK(Contains(status.message(), names));
  CHECK(status.info().gateway_request_id == kGatewayId);
  CHECK(Retry(outcome) == GatewayRetry::kNo);
  CHECK(MayHaveBeenApplied(outcome));
  CHECK_FALSE(outcome.token_rejected);
}

TEST_CASE("Unwrap: a success yields WeChat's object and the gateway's request id") {
  auto outcome = Unwrap(
      200,
      R"({"code":0,"msg":"success","data":{"status":200,"data":{"code_url":"weixin://wxpay/bizpayurl?pr=a\/b","n":1}}})");
  REQUIRE(outcome.result.ok());
  CHECK(outcome.result->json == R"({"code_url":"weixin://wxpay/bizpayurl?pr=a/b","n":1})");
  CHECK(outcome.result->meta.http_status == 200);
  CHECK(outcome.result->meta.request_id == kGatewayId);
  CHECK(outcome.result->meta.gateway_request_id == kGatewayId);
  CHECK(Retry(outcome) == GatewayRetry::kNo);
  CHECK_FALSE(outcome.token_rejected);
}

TEST_CASE("Unwrap: non-ASCII text survives the re-serialisation byte for byte") {
  auto outcome = Unwrap(
      200,
      R"({"code":0,"msg":"success","data":{"status":200,"data":{"trade_state_desc":"支付成功"}}})");
  REQUIRE(outcome.result.ok());
  CHECK(outcome.result->json == R"({"trade_state_desc":"支付成功"})");
}

TEST_CASE("Unwrap: close's status 204 without data is a success with no payload") {
  for (std::string body : {R"({"code":0,"msg":"success","data":{"status":204}})",
                           R"({"code":0,"msg":"success","data":{"status":204,"data":null}})",
                           R"({"code":0,"msg":"success","data":{"status":204,"data":{}}})"}) {
    INFO(body);
    auto outcome = Unwrap(200, body);
    REQUIRE(outcome.result.ok());
    CHECK(outcome.result->meta.http_status == 204);
    CHECK((outcome.result->json.empty() || outcome.result->json == "{}"));
  }
}

TEST_CASE("Unwrap: code 0 with data.status >= 400 is WeChat's error, never a success") {
  SECTION("error holds WeChat's raw body as a string") {
    auto outcome = Unwrap(
        200,
        R"({"code":0,"msg":"success","data":{"status":404,"error":"{\"code\":\"ORDER_NOT_EXIST\",\"message\":\"订单不存在\"}"}})");
    REQUIRE_FALSE(outcome.result.ok());
    auto const& s = outcome.result.status();
    CHECK(s.code() == StatusCode::kServiceError);
    CHECK(s.info().http_status == 404);
    CHECK(s.info().service_code == "ORDER_NOT_EXIST");
    CHECK(s.info().service_message == "订单不存在");
    CHECK(s.info().request_id == kGatewayId);
    CHECK(s.info().gateway_request_id == kGatewayId);
    CHECK(Contains(s.message(), "WeChat Pay answered HTTP 404 ORDER_NOT_EXIST: 订单不存在"));
    CHECK(Contains(s.message(), "code 0"));
    CHECK(Retry(outcome) == GatewayRetry::kNo);
    CHECK_FALSE(MayHaveBeenApplied(outcome));
  }
  SECTION("errRaw only: the superagent error with response text and WeChat's Request-ID") {
    auto outcome = Unwrap(
        200,
        R"({"code":0,"msg":"success","data":{"status":400,"errRaw":{"status":400,"response":{)"
        R"("req":{"method":"POST","url":"https://api.mch.weixin.qq.com/v3/pay/transactions/native",)"
        R"("headers":{"Authorization":"WECHATPAY2-SHA256-RSA2048 mchid=\"1900007291\",signature=\"SECRETSIG\""}},)"
        R"("header":{"request-id":"08F0B6B3A90610B90418A3F6C5A406-0"},"status":400,)"
        R"("text":"{\"code\":\"PARAM_ERROR\",\"message\":\"参数错误\",\"detail\":{\"field\":\"/amount/total\",\"location\":\"body\"}}"}}}})");
    REQUIRE_FALSE(outcome.result.ok());
    auto const& s = outcome.result.status();
    CHECK(s.code() == StatusCode::kServiceError);
    CHECK(s.info().http_status == 400);
    CHECK(s.info().service_code == "PARAM_ERROR");
    CHECK(s.info().service_message == "参数错误");
    CHECK(s.info().detail == R"({"field":"/amount/total","location":"body"})");
    CHECK(s.info().request_id == "08F0B6B3A90610B90418A3F6C5A406-0");
    CHECK(s.info().gateway_request_id == kGatewayId);
    // The id the CLI does not print is named in the message.
    CHECK(Contains(s.message(), std::string("gateway request id ") + kGatewayId));
    // errRaw's copy of the merchant's request never travels further.
    CHECK_FALSE(Contains(s.ToString(), "SECRETSIG"));
    CHECK_FALSE(Contains(s.info().detail, "SECRETSIG"));
  }
  SECTION("errRaw with a parsed response body and capitalised header names") {
    auto outcome = Unwrap(
        200,
        R"({"code":0,"msg":"success","data":{"status":403,"errRaw":{"response":{)"
        R"("headers":{"Request-ID":"08AB-403"},"body":{"code":"NO_AUTH","message":"商户无权限"}}}}})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().info().service_code == "NO_AUTH");
    CHECK(outcome.result.status().info().request_id == "08AB-403");
  }
  SECTION("WeChat's error body as the middle data") {
    auto outcome = Unwrap(
        200,
        R"({"code":0,"msg":"success","data":{"status":403,"data":{"code":"OUT_TRADE_NO_USED","message":"商户订单号重复"}}})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kServiceError);
    CHECK(outcome.result.status().info().service_code == "OUT_TRADE_NO_USED");
  }
  SECTION("no WeChat body at all still fails, naming the status") {
    auto outcome = Unwrap(200, R"({"code":0,"msg":"success","data":{"status":401}})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kServiceError);
    CHECK(outcome.result.status().info().http_status == 401);
    CHECK(Contains(outcome.result.status().message(), "without a WeChat error body"));
    CHECK_FALSE(outcome.token_rejected);  // WeChat's 401 is a signature problem, not the token
  }
  SECTION("an error string that is not JSON leaves the code empty") {
    auto outcome =
        Unwrap(200, R"({"code":0,"msg":"success","data":{"status":502,"error":"<html>"}})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().info().service_code.empty());
    CHECK(outcome.result.status().info().http_status == 502);
  }
}

TEST_CASE("Unwrap: WeChat 202, 429 and 5xx are repeatable and leave a write's outcome open") {
  for (int status : {202, 429, 500, 503}) {
    INFO(status);
    auto outcome =
        Unwrap(200, R"({"code":0,"msg":"success","data":{"status":)" + std::to_string(status) +
                        R"(,"error":"{\"code\":\"SYSTEM_ERROR\",\"message\":\"x\"}"}})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kServiceError);
    CHECK(outcome.result.status().info().http_status == status);
    CHECK(Retry(outcome) == GatewayRetry::kYes);
    CHECK(MayHaveBeenApplied(outcome));
  }
}

TEST_CASE("Unwrap: pay-common's call to WeChat failed without an HTTP answer") {
  auto outcome = Unwrap(
      200, R"({"code":0,"msg":"success","data":{"errRaw":{"code":"ECONNRESET","errno":-104}}})");
  REQUIRE_FALSE(outcome.result.ok());
  CHECK(outcome.result.status().code() == StatusCode::kServiceError);
  CHECK(Contains(outcome.result.status().message(), "ECONNRESET"));
  CHECK(Retry(outcome) == GatewayRetry::kReadsOnly);
  CHECK(MayHaveBeenApplied(outcome));
}

TEST_CASE("Unwrap: pay-common's own code -1 failures") {
  SECTION("400 validation or service failure: a write's outcome is open") {
    auto outcome = Unwrap(
        400, R"({"code":-1,"msg":"useServiceAccount=true 但未配置 service_app_id","data":null})");
    REQUIRE_FALSE(outcome.result.ok());
    auto const& s = outcome.result.status();
    CHECK(s.code() == StatusCode::kServiceError);
    CHECK(s.info().http_status == 400);
    CHECK(s.info().service_code == "-1");
    CHECK(s.info().service_message == "useServiceAccount=true 但未配置 service_app_id");
    CHECK(s.info().gateway_request_id == kGatewayId);
    CHECK(Contains(s.message(), "pay-common answered HTTP 400 with code -1: useServiceAccount"));
    CHECK(Retry(outcome) == GatewayRetry::kNo);
    CHECK(MayHaveBeenApplied(outcome));
    CHECK_FALSE(outcome.token_rejected);
  }
  SECTION("an unknown action never reached a service") {
    auto outcome = Unwrap(400, R"({"code":-1,"msg":"不支持的操作: wxpay_nope"})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().info().service_code == "-1");
    CHECK_FALSE(MayHaveBeenApplied(outcome));
  }
  SECTION("404 unknown route") {
    auto outcome = Unwrap(404, R"({"code":-1,"msg":"服务内部错误"})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kServiceError);
    CHECK(outcome.result.status().info().http_status == 404);
    CHECK_FALSE(MayHaveBeenApplied(outcome));
  }
  SECTION("401 未授权访问 is unauthenticated, and no fresh token would cure it") {
    auto outcome = Unwrap(401, R"({"code":-1,"msg":"未授权访问"})");
    REQUIRE_FALSE(outcome.result.ok());
    auto const& s = outcome.result.status();
    CHECK(s.code() == StatusCode::kUnauthenticated);
    CHECK(s.info().service_code == "-1");
    CHECK(s.info().service_message == "未授权访问");
    CHECK(Contains(s.message(), "authenticated (non-anonymous)"));
    CHECK_FALSE(outcome.token_rejected);
  }
  SECTION("a non-zero code at HTTP 200 is a failure too") {
    auto outcome = Unwrap(200, R"({"code":-1,"msg":"退款失败"})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kServiceError);
    CHECK(outcome.result.status().info().service_code == "-1");
    CHECK(MayHaveBeenApplied(outcome));
  }
}

TEST_CASE("Unwrap: the gateway's own errors") {
  SECTION("401 MISSING_CREDENTIALS") {
    auto outcome = Unwrap(
        401,
        R"({"code":"MISSING_CREDENTIALS","message":"请求头中缺少必要的身份鉴权信息","requestId":"gw-body-id"})");
    REQUIRE_FALSE(outcome.result.ok());
    auto const& s = outcome.result.status();
    CHECK(s.code() == StatusCode::kUnauthenticated);
    CHECK(s.info().http_status == 401);
    CHECK(s.info().service_code == "MISSING_CREDENTIALS");
    CHECK(s.info().gateway_request_id == kGatewayId);  // the header wins over the body
    CHECK(Contains(s.message(), "an authenticated (non-anonymous) CloudBase login is required"));
    CHECK(outcome.token_rejected);
    CHECK(Retry(outcome) == GatewayRetry::kNo);
    CHECK_FALSE(MayHaveBeenApplied(outcome));
  }
  SECTION("401 ACCESS_TOKEN_EXPIRED says so") {
    auto outcome =
        Unwrap(401, R"({"code":"ACCESS_TOKEN_EXPIRED","message":"token expired","requestId":"x"})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kUnauthenticated);
    CHECK(Contains(outcome.result.status().message(), "expired"));
    CHECK(outcome.token_rejected);
  }
  SECTION("403 EXCEED_AUTHORITY: authenticated but not allowed, a refresh would not help") {
    auto outcome =
        Unwrap(403, R"({"code":"EXCEED_AUTHORITY","message":"权限不足","requestId":"x"})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kUnauthenticated);
    CHECK(outcome.result.status().info().service_code == "EXCEED_AUTHORITY");
    CHECK(Contains(outcome.result.status().message(), "non-anonymous"));
    CHECK_FALSE(outcome.token_rejected);
  }
  SECTION("404 FUNCTION_NOT_FOUND is a final service error") {
    auto outcome = Unwrap(
        404, R"({"code":"FUNCTION_NOT_FOUND","message":"function not found","requestId":"x"})");
    REQUIRE_FALSE(outcome.result.ok());
    auto const& s = outcome.result.status();
    CHECK(s.code() == StatusCode::kServiceError);
    CHECK(s.info().service_code == "FUNCTION_NOT_FOUND");
    CHECK(Contains(s.message(), "the CloudBase gateway answered HTTP 404 FUNCTION_NOT_FOUND"));
    CHECK(Retry(outcome) == GatewayRetry::kNo);
    CHECK_FALSE(MayHaveBeenApplied(outcome));
  }
  SECTION("429 is repeatable and was not processed; Retry-After is kept") {
    auto response = Answer(429, R"({"code":"RATE_LIMIT_EXCEEDED","message":"slow down"})");
    response.headers.Add("Retry-After", "2");
    auto outcome = UnwrapGatewayResponse(response);
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kServiceError);
    CHECK(Retry(outcome) == GatewayRetry::kYes);
    CHECK_FALSE(MayHaveBeenApplied(outcome));
    CHECK(outcome.retry_after == std::chrono::seconds(2));
  }
  SECTION("a Retry-After too large for milliseconds is clamped to a day, not overflowed") {
    // fuzz/regressions/gateway_unwrap: 7·10^17 seconds overflowed the milliseconds count.
    auto response = Answer(429, R"({"code":"RATE_LIMIT_EXCEEDED","message":"slow down"})");
    response.headers.Add("Retry-After", "9223372036854775807");
    CHECK(UnwrapGatewayResponse(response).retry_after == std::chrono::hours(24));
  }
  SECTION("5xx is repeatable, but the function may have run") {
    auto outcome = Unwrap(
        502, R"({"code":"FUNCTION_INVOCATION_FAILED","message":"函数执行失败","requestId":"x"})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().info().service_code == "FUNCTION_INVOCATION_FAILED");
    CHECK(Retry(outcome) == GatewayRetry::kYes);
    CHECK(MayHaveBeenApplied(outcome));
  }
  SECTION("a non-JSON 5xx is a service error without a code") {
    auto outcome = Unwrap(504, "<html>Gateway Timeout</html>");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kServiceError);
    CHECK(outcome.result.status().info().service_code.empty());
    CHECK(Contains(outcome.result.status().message(), "without an error body"));
    CHECK(Retry(outcome) == GatewayRetry::kYes);
  }
  SECTION("an empty 401 still asks for a fresh token") {
    auto outcome = Unwrap(401, "");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kUnauthenticated);
    CHECK(outcome.token_rejected);
  }
  SECTION("other statuses (402 ENV_SUSPENDED) are final") {
    auto outcome = Unwrap(402, R"({"code":"ENV_SUSPENDED","message":"环境已停用"})");
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().code() == StatusCode::kServiceError);
    CHECK(Retry(outcome) == GatewayRetry::kNo);
  }
  SECTION("without X-Request-Id the body's requestId is kept") {
    auto outcome = UnwrapGatewayResponse(
        Answer(403, R"({"code":"ACCESS_DENIED","message":"x","requestId":"gw-body-id"})", false));
    REQUIRE_FALSE(outcome.result.ok());
    CHECK(outcome.result.status().info().gateway_request_id == "gw-body-id");
    CHECK(outcome.result.status().info().request_id == "gw-body-id");
  }
}

TEST_CASE("Unwrap: 2xx answers that are not pay-common's three layers are malformed") {
  CheckMalformed(Unwrap(200, ""), "empty");
  CheckMalformed(Unwrap(200, "  \r\n"), "empty");
  CheckMalformed(Unwrap(200, "ok"), "not JSON");
  CheckMalformed(Unwrap(200, R"({"code":0,"msg":"success","data":)"), "not JSON");
  CheckMalformed(Unwrap(200, "[1,2]"), "not a JSON object");
  CheckMalformed(Unwrap(200, R"({"hello":"world"})"), "/code is missing");
  CheckMalformed(Unwrap(200, R"({"code":"0","data":{"status":200}})"), "/code must be an integer");
  CheckMalformed(Unwrap(200, R"({"code":0,"msg":"success"})"), "/data is missing");
  CheckMalformed(Unwrap(200, R"({"code":0,"data":null})"), "/data is missing");
  CheckMalformed(Unwrap(200, R"({"code":0,"data":"done"})"), "/data must be an object");
  CheckMalformed(Unwrap(200, R"({"code":0,"data":{"code_url":"weixin://x"}})"),
                 "/data/status is missing");
  CheckMalformed(Unwrap(200, R"({"code":0,"data":{"status":"200","data":{}}})"),
                 "/data/status must be an integer");
  CheckMalformed(Unwrap(200, R"({"code":0,"data":{"status":200.5,"data":{}}})"),
                 "/data/status must be an integer");
  CheckMalformed(Unwrap(200, R"({"code":0,"data":{"status":42}})"), "not an HTTP status");
  CheckMalformed(Unwrap(200, R"({"code":0,"data":{"status":200,"data":[1]}})"),
                 "/data/data must be an object");
  CheckMalformed(Unwrap(200, R"({"code":0,"data":{"status":200,"data":"weixin://x"}})"),
                 "/data/data must be an object");
  CheckMalformed(Unwrap(200, std::string(R"({"code":0,"data":{"status":200}})") + '\0' + "junk"),
                 "NUL");
  CheckMalformed(Unwrap(200, std::string(100, '[') + std::string(100, ']')), "deeper than 64");
  // The library's one parse policy (json_reader.hpp): malformed UTF-8 is not JSON it accepts.
  CheckMalformed(
      Unwrap(200, "{\"code\":0,\"data\":{\"status\":200,\"data\":{\"a\":\"\xc0\x80\"}}}"),
      "not JSON");
}

TEST_CASE("Unwrap: nesting up to the limit is accepted") {
  std::string inner;
  for (int i = 0; i < 60; ++i) inner += R"({"a":)";
  inner += "1";
  for (int i = 0; i < 60; ++i) inner += "}";
  auto outcome = Unwrap(200, R"({"code":0,"data":{"status":200,"data":{"deep":)" + inner + "}}}");
  REQUIRE(outcome.result.ok());
  CHECK(outcome.result->json.size() > 300);
}

}  // namespace
}  // namespace wechatpay
