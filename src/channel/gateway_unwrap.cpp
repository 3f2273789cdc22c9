// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "channel/gateway_unwrap.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "channel/call_pipeline.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"
#include "json/json_codec.hpp"
#include "json/json_duplicates.hpp"
#include "json/json_reader.hpp"
#include "json/json_writer.hpp"
#include "wechatpay/protocol/constants.hpp"
#include "wechatpay/protocol/error_codes.hpp"

namespace wechatpay::internal {
namespace {

// The three layers are parsed and re-serialised by the library's one JSON reader and writer
// (json/json_reader.hpp, json/json_writer.hpp): the same policy as every other answer.

constexpr char kCode[] = "code";

// Request ids are about 40 characters; more is not an id.
constexpr std::size_t kMaxRequestIdBytes = 128;

// The member `name` of `object` (JsonMember(): nullptr when not an object, absent or null).
rapidjson::Value const* Member(rapidjson::Value const* object, char const* name) {
  return JsonMember(object, name);
}

// Every string read here ends up in an error message or ErrorInfo: printable and bounded.
std::string StringMember(rapidjson::Value const* object, char const* name) {
  auto const* value = Member(object, name);
  if (value == nullptr || !value->IsString()) return {};
  return PrintableUntrusted(StringValue(*value));
}

// A header map as node serialises it (lower-case names, but be lenient): the value of `name`.
std::string HeaderMember(rapidjson::Value const* headers, std::string_view name) {
  if (headers == nullptr || !headers->IsObject()) return {};
  for (auto it = headers->MemberBegin(); it != headers->MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (EqualsIgnoreCase(key, name) && it->value.IsString()) {
      return PrintableUntrusted(
          std::string_view(it->value.GetString(), it->value.GetStringLength()), kMaxRequestIdBytes);
    }
  }
  return {};
}

// The text of a numeric or string code, e.g. "-1" or "FUNCTION_NOT_FOUND".
std::string CodeText(rapidjson::Value const& code) {
  if (code.IsString()) {
    return PrintableUntrusted(std::string_view(code.GetString(), code.GetStringLength()));
  }
  if (code.IsInt64()) return std::to_string(code.GetInt64());
  return PrintableUntrusted(SerializeJson(code));
}

// What WeChat said, dug out of pay-common's pass-through of node-v3's error:
// {status, error: "<WeChat's raw body>", errRaw: {status, response: {text, header, body}}}.
// Only code, message, detail and Request-ID are kept: errRaw also carries the request node-v3
// sent, Authorization header included, which must never travel further.
struct WeChatFacts {
  ServiceErrorBody body;
  std::string request_id;
  std::string failure;  // errRaw.code of a network failure, e.g. "ECONNRESET"
};

void TakeBody(ServiceErrorBody& out, rapidjson::Value const* value) {
  if (!out.code.empty() || value == nullptr) return;
  if (value->IsString()) {
    out = ParseServiceErrorBody(std::string_view(value->GetString(), value->GetStringLength()));
  } else if (value->IsObject()) {
    out = ParseServiceErrorBody(SerializeJson(*value));
  }
}

WeChatFacts ReadWeChatFacts(rapidjson::Value const& middle) {
  WeChatFacts facts;
  TakeBody(facts.body, Member(&middle, "error"));
  auto const* raw = Member(&middle, "errRaw");
  auto const* response = Member(raw, "response");
  TakeBody(facts.body, Member(response, "text"));
  TakeBody(facts.body, Member(response, "body"));
  // Some strategies return WeChat's error body as the middle `data`.
  TakeBody(facts.body, Member(&middle, "data"));
  facts.request_id = HeaderMember(Member(response, "header"), headers::kRequestId);
  if (facts.request_id.empty()) {
    facts.request_id = HeaderMember(Member(response, "headers"), headers::kRequestId);
  }
  facts.failure = StringMember(raw, kCode);
  return facts;
}

// Builds outcomes; holds the facts every error carries.
class Reader {
 public:
  explicit Reader(HttpResponse const& response) : response_(response) {
    gateway_id_ = PrintableUntrusted(Trim(response.headers.Get(headers::kGatewayRequestId)),
                                     kMaxRequestIdBytes);
    retry_after_ = RetryAfterHint(response.headers.Get(headers::kRetryAfter));
  }

  GatewayOutcome Read() {
    auto const body = Trim(response_.body);
    JsonDocument parsed;
    std::string const problem = body.empty() ? "is empty" : parsed.Parse(body);
    auto const& doc = parsed.root();
    if (problem.empty() && doc.IsObject() && gateway_id_.empty()) {
      gateway_id_ = StringMember(&doc, "requestId");
    }
    int const status = response_.status_code;
    if (status >= 200 && status < 300) {
      if (body.empty()) return Malformed("the body is empty");
      if (!problem.empty())
        return Malformed("the body is not JSON the SDK accepts: the JSON text " + problem);
      if (!doc.IsObject()) return Malformed("the body is not a JSON object");
      return ReadPayCommon(doc);
    }
    return ReadRefusal(problem.empty() && doc.IsObject() ? &doc : nullptr);
  }

 private:
  // A 2xx from the gateway: pay-common's {code, msg, data}.
  GatewayOutcome ReadPayCommon(rapidjson::Value const& outer) {
    if (auto name = DuplicateMemberName(outer)) return Duplicated("", *name);
    auto const* code = Member(&outer, kCode);
    if (code == nullptr) return Malformed("not a pay-common answer: /code is missing");
    if (!code->IsInt64()) return Malformed("/code must be an integer");
    if (code->GetInt64() != 0) return PayCommonFailure(outer, /*reached_wechat=*/true);
    auto const* middle = Member(&outer, "data");
    if (middle == nullptr) return Malformed("/code is 0 but /data is missing");
    if (!middle->IsObject()) return Malformed("/data must be an object");
    if (auto name = DuplicateMemberName(*middle)) return Duplicated("/data", *name);
    auto const* status = Member(middle, "status");
    if (status == nullptr) {
      auto facts = ReadWeChatFacts(*middle);
      if (Member(middle, "errRaw") == nullptr && Member(middle, "error") == nullptr) {
        return Malformed("/data/status is missing");
      }
      // node-v3 got no HTTP answer from WeChat (its error has no status): like a transport
      // failure after sending, so a write may have been applied. http_status says so (WeChat
      // answered nothing), which is what classifies it as kNoAnswer wherever the Status goes.
      std::string message = "pay-common's call to WeChat Pay failed without an HTTP answer";
      if (!facts.failure.empty()) message += " (" + facts.failure + ")";
      ErrorInfo info = ErrorFacts();
      info.http_status = 0;
      return Fail(StatusCode::kServiceError, std::move(message), std::move(info));
    }
    if (!status->IsInt64()) return Malformed("/data/status must be an integer");
    std::int64_t const wechat_status = status->GetInt64();
    if (wechat_status < 100 || wechat_status > 599) {
      return Malformed("/data/status " + std::to_string(wechat_status) + " is not an HTTP status");
    }
    if (wechat_status >= 200 && wechat_status < 300 && wechat_status != 202) {
      GatewayPayload payload;
      // A 204 (close) arrives as "" (the library under pay-common turns an empty JSON-typed
      // body into ""), {}, null or nothing: "" and null read as absent; whether an operation
      // needs WeChat's object is for its mapping to say.
      if (auto const* data = Member(middle, "data")) {
        bool const empty_string = data->IsString() && data->GetStringLength() == 0;
        if (!data->IsObject() && !empty_string) {
          return Malformed("/data/data must be an object");
        }
        if (!empty_string) payload.json = SerializeJson(*data);
      }
      payload.meta.http_status = static_cast<int>(wechat_status);
      payload.meta.request_id = gateway_id_;
      payload.meta.gateway_request_id = gateway_id_;
      GatewayOutcome outcome;
      outcome.result = std::move(payload);
      return outcome;
    }
    return WeChatError(*middle, static_cast<int>(wechat_status));
  }

  // The trap: HTTP 200 and code 0, yet WeChat refused. Always a service error.
  GatewayOutcome WeChatError(rapidjson::Value const& middle, int wechat_status) {
    auto facts = ReadWeChatFacts(middle);
    ErrorInfo info = ErrorFacts();
    info.http_status = wechat_status;
    info.service_code = facts.body.code;
    info.service_message = facts.body.message;
    info.detail = facts.body.detail;
    if (!facts.request_id.empty()) info.request_id = facts.request_id;
    std::string message = "WeChat Pay answered HTTP " + std::to_string(wechat_status);
    if (!facts.body.code.empty()) message += " " + facts.body.code;
    if (!facts.body.message.empty()) message += ": " + facts.body.message;
    if (facts.body.code.empty() && facts.body.message.empty()) {
      message += " without a WeChat error body";
    }
    message += " (passed through by pay-common as code 0";
    // The CLI and Status::ToString print request_id only; name the gateway's id as well when
    // it is not the one printed, since CloudBase support asks for it.
    if (!gateway_id_.empty() && info.request_id != gateway_id_) {
      message += ", gateway request id " + gateway_id_;
    }
    message += ")";
    // Classified like the direct backend's answer: WeChat's status and code are in the Status.
    return Fail(StatusCode::kServiceError, std::move(message), std::move(info));
  }

  // pay-common's own failure {code:-1, msg}: its validator, an unknown action or route, or an
  // exception in its service. The last may come after WeChat applied the request (its order
  // and refund hooks run after the WeChat call), so a write's outcome is unknown unless the
  // request provably never reached a service.
  GatewayOutcome PayCommonFailure(rapidjson::Value const& outer, bool reached_wechat) {
    ErrorInfo info = ErrorFacts();
    info.service_code = CodeText(*Member(&outer, kCode));
    info.service_message = StringMember(&outer, "msg");
    std::string message = "pay-common answered HTTP " + std::to_string(response_.status_code) +
                          " with code " + info.service_code;
    if (!info.service_message.empty()) message += ": " + info.service_message;
    GatewayOutcome outcome = Fail(StatusCode::kServiceError, std::move(message), std::move(info));
    outcome.failure = reached_wechat ? FailureClass::kFailedAfterCall : FailureClass::kRefused;
    return outcome;
  }

  // A non-2xx from the gateway: its own error, pay-common's failure, or an unknown body.
  GatewayOutcome ReadRefusal(rapidjson::Value const* doc) {
    int const status = response_.status_code;
    auto const* code = Member(doc, kCode);
    bool const pay_common = code != nullptr && code->IsNumber();
    if (pay_common && status != 401 && status != 403) {
      // 404 is an unknown route and "不支持的操作" an unknown action: neither reached a service.
      std::string const msg = StringMember(doc, "msg");
      bool const unknown_action = msg.rfind("不支持的操作", 0) == 0;
      return PayCommonFailure(*doc, status != 404 && !unknown_action);
    }
    ErrorInfo info = ErrorFacts();
    info.http_status = status;
    if (code != nullptr) info.service_code = CodeText(*code);
    info.service_message = StringMember(doc, pay_common ? "msg" : "message");
    std::string const who = pay_common ? "pay-common" : "the CloudBase gateway";
    std::string reason = who + " answered HTTP " + std::to_string(status);
    if (!info.service_code.empty()) reason += " " + info.service_code;
    if (!info.service_message.empty()) reason += ": " + info.service_message;
    if (info.service_code.empty() && info.service_message.empty()) {
      reason += " without an error body";
    }
    if (status == 401 || status == 403) {
      std::string message = info.service_code == error_codes::kAccessTokenExpired
                                ? "the access token has expired (" + reason + "); sign in again: "
                                : "not authorized (" + reason + "); ";
      message += kAuthenticatedLoginRequired;
      GatewayOutcome outcome =
          Fail(StatusCode::kUnauthenticated, std::move(message), std::move(info));
      // Only the gateway's 401 is about the token's validity; pay-common's refusal and a 403
      // (authenticated but not allowed, e.g. anonymous) are not cured by a fresh token.
      outcome.token_rejected = status == 401 && !pay_common;
      return outcome;
    }
    GatewayOutcome outcome = Fail(StatusCode::kServiceError, std::move(reason), std::move(info));
    // Rate limited by the gateway: the function was not invoked. A 5xx (the function may have
    // run: FUNCTION_INVOCATION_FAILED, FUNCTION_TIME_LIMIT_EXCEEDED, a crash after the WeChat
    // call) is kServerError by its status.
    if (status == 429) outcome.failure = FailureClass::kGatewayRateLimited;
    return outcome;
  }

  ErrorInfo ErrorFacts() const {
    ErrorInfo info;
    info.http_status = response_.status_code;
    info.request_id = gateway_id_;
    info.gateway_request_id = gateway_id_;
    return info;
  }

  GatewayOutcome Fail(StatusCode code, std::string message, ErrorInfo info) const {
    GatewayOutcome outcome;
    Status status(code, std::move(message), std::move(info));
    outcome.failure = ClassifyStatus(status);
    outcome.result = std::move(status);
    outcome.retry_after = retry_after_;
    return outcome;
  }

  // A 2xx that is not pay-common's answer. The function ran, so a write may have been applied
  // (kUnreadableAnswer).
  GatewayOutcome Malformed(std::string const& what) const {
    return Fail(
        StatusCode::kMalformedResponse,
        "malformed pay-common answer (HTTP " + std::to_string(response_.status_code) + "): " + what,
        ErrorFacts());
  }

  // An envelope whose members could be read two ways (json_duplicates.hpp).
  GatewayOutcome Duplicated(std::string_view path, std::string_view name) const {
    return Malformed(std::string(path) + "/" + PrintableUntrusted(name, 64) +
                     " occurs twice (an object with a duplicated member name is refused)");
  }

  HttpResponse const& response_;
  std::string gateway_id_;
  std::chrono::milliseconds retry_after_{0};
};

}  // namespace

GatewayOutcome UnwrapGatewayResponse(HttpResponse const& response) {
  return Reader(response).Read();
}

}  // namespace wechatpay::internal
