// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The CloudBase pay-common backend: validate the gateway settings once, then for every call
// map the operation onto an `_action` body and authenticate it — a Bearer token, refreshed once
// when the gateway refuses it, and the answer unwrapped with UnwrapGatewayResponse — inside the
// shared call pipeline (channel/call_pipeline.hpp), which decides retries and unknown outcomes.
// Results and Status categories are the direct backend's. Nothing here is signed or verified:
// pay-common holds the merchant key and does not pass WeChat's signatures through
// (docs/gateway.md).

#include <algorithm>
#include <chrono>
#include <mutex>

#include "channel/call_pipeline.hpp"
#include "channel/gateway_unwrap.hpp"
#include "common/config_error.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"
#include "common/wipe.hpp"
#include "json/json_codec.hpp"
#include "wechatpay/channel/gateway.hpp"
#include "wechatpay/protocol/constants.hpp"

namespace wechatpay {
namespace {

using internal::Attempt;
using internal::AttemptBudget;
using internal::CallPipeline;
using internal::ConfigError;
using internal::GatewayOutcome;
using internal::GatewayPayload;
using internal::Operation;
namespace actions = pay_common_actions;

// Written in place of a token should one ever be echoed back in an answer.
constexpr char kRedacted[] = "[redacted]";

// One call: the operation (queries are reads, although every call here is an HTTP POST), its
// `_action` route (docs/protocol.md, "Routing") and the body sent.
struct GatewayCall {
  Operation operation;
  std::string_view action;
  std::string body;
};

// A body of `_action` and one string member.
std::string ActionBody(std::string_view action, std::string const& name, std::string const& value) {
  return internal::StringObjectToJson({{"_action", std::string(action)}, {name, value}});
}

// A token goes into a header as is: visible ASCII only, so it can neither break the header
// (CR/LF) nor carry a stray "Bearer " prefix.
bool IsHeaderSafeToken(std::string_view token) {
  for (char c : token) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return !token.empty();
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// ^[a-zA-Z][a-zA-Z0-9_-]{0,58}[a-zA-Z0-9]$ (docs/protocol.md, "Calling a function").
bool IsFunctionName(std::string_view name) {
  if (name.size() < 2 || name.size() > 60) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!alpha(name.front()) || !IsAsciiAlnum(name.back())) return false;
  for (char c : name) {
    if (!IsAsciiAlnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

// The env id becomes the first label of the gateway host name.
bool IsEnvId(std::string_view env_id) {
  if (env_id.empty() || env_id.size() > 63) return false;
  if (env_id.front() == '-' || env_id.back() == '-') return false;
  for (char c : env_id) {
    if (!IsAsciiAlnum(c) && c != '-') return false;
  }
  return true;
}

// pay-common's validator: out_trade_no 6-32 characters of [A-Za-z0-9_-], stricter than
// WeChat's [0-9A-Za-z_-|*].
Status CheckPayCommonOutTradeNo(std::string_view out_trade_no) {
  bool ok = out_trade_no.size() >= 6 && out_trade_no.size() <= 32;
  for (char c : out_trade_no) ok = ok && (IsAsciiAlnum(c) || c == '_' || c == '-');
  if (ok) return Status();
  return internal::InvalidArgument(
      "out_trade_no",
      "out_trade_no must be 6-32 characters of [A-Za-z0-9_-] through CloudBase pay-common (its "
      "validator refuses '|' and '*')");
}

void ReplaceAll(std::string& text, std::string const& what, std::string_view with) {
  if (what.empty()) return;
  for (auto pos = text.find(what); pos != std::string::npos;
       pos = text.find(what, pos + with.size())) {
    text.replace(pos, what.size(), with);
  }
}

class FixedTokenProvider : public AccessTokenProvider {
 public:
  explicit FixedTokenProvider(std::string token) : token_(std::move(token)) {}
  ~FixedTokenProvider() override { internal::Wipe(token_); }
  FixedTokenProvider(FixedTokenProvider const&) = delete;
  FixedTokenProvider& operator=(FixedTokenProvider const&) = delete;

  StatusOr<std::string> Token(bool) override { return token_; }
  bool CanRefresh() const override { return false; }

 private:
  std::string token_;
};

class CallbackTokenProvider : public AccessTokenProvider {
 public:
  explicit CallbackTokenProvider(std::function<StatusOr<std::string>()> fetch)
      : fetch_(std::move(fetch)) {}
  ~CallbackTokenProvider() override { internal::Wipe(token_); }
  CallbackTokenProvider(CallbackTokenProvider const&) = delete;
  CallbackTokenProvider& operator=(CallbackTokenProvider const&) = delete;

  StatusOr<std::string> Token(bool force_refresh) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!force_refresh && !token_.empty()) return token_;
    if (!fetch_) {
      return Status(StatusCode::kUnauthenticated,
                    std::string("no access token: the token callback is empty; ") +
                        internal::kAuthenticatedLoginRequired);
    }
    auto fetched = fetch_();
    if (!fetched) return fetched.status();
    internal::Wipe(token_);
    token_ = *std::move(fetched);
    return token_;
  }

 private:
  std::mutex mu_;
  std::function<StatusOr<std::string>()> fetch_;
  std::string token_;
};

class GatewayChannel : public NativePayChannel {
 public:
  GatewayChannel(std::string endpoint, std::shared_ptr<AccessTokenProvider> tokens,
                 CallPipeline pipeline)
      : endpoint_(std::move(endpoint)),
        tokens_(std::move(tokens)),
        pipeline_(std::move(pipeline)) {}

  StatusOr<NativePrepayResponse> NativePrepay(NativePrepayRequest const& request,
                                              CallOptions const& options) override {
    if (auto status = CheckPayCommonOutTradeNo(request.out_trade_no); !status.ok()) return status;
    if (request.use_service_account && request.appid) {
      return internal::InvalidArgument(
          "appid",
          "appid and use_service_account exclude each other: with useServiceAccount pay-common "
          "uses its service-account AppID and drops the given appid");
    }
    // appid, mchid and notify_url are pay-common's to inject: only the request's own
    // overrides are written (NativePrepayToJson leaves out the empty injected ones).
    internal::PrepayInjection injection;
    injection.action = std::string(actions::kOrderNative);
    injection.write_use_service_account = true;
    auto payload = Execute({Operation::kNativePrepay, actions::kOrderNative,
                            internal::NativePrepayToJson(request, injection)},
                           options);
    if (!payload) return payload.status();
    return Parse(internal::ParseNativePrepayResponse, *payload, Operation::kNativePrepay);
  }

  StatusOr<Transaction> QueryOrderByOutTradeNo(QueryOrderByOutTradeNoRequest const& request,
                                               CallOptions const& options) override {
    auto payload =
        Execute({Operation::kQueryOrderByOutTradeNo, actions::kQueryByOutTradeNo,
                 ActionBody(actions::kQueryByOutTradeNo, "out_trade_no", request.out_trade_no)},
                options);
    if (!payload) return payload.status();
    return Parse(internal::ParseTransaction, *payload, Operation::kQueryOrderByOutTradeNo);
  }

  StatusOr<Transaction> QueryOrderById(QueryOrderByIdRequest const& request,
                                       CallOptions const& options) override {
    auto payload = Execute(
        {Operation::kQueryOrderById, actions::kQueryByTransactionId,
         ActionBody(actions::kQueryByTransactionId, "transaction_id", request.transaction_id)},
        options);
    if (!payload) return payload.status();
    return Parse(internal::ParseTransaction, *payload, Operation::kQueryOrderById);
  }

  StatusOr<CloseOrderResponse> CloseOrder(CloseOrderRequest const& request,
                                          CallOptions const& options) override {
    auto payload = Execute({Operation::kCloseOrder, actions::kCloseOrder,
                            ActionBody(actions::kCloseOrder, "out_trade_no", request.out_trade_no)},
                           options);
    if (!payload) return payload.status();
    // WeChat answers 204 without a body; whatever pay-common wraps around it is not needed.
    return CloseOrderResponse{payload->meta};
  }

  StatusOr<Refund> CreateRefund(CreateRefundRequest const& request,
                                CallOptions const& options) override {
    auto payload = Execute({Operation::kCreateRefund, actions::kRefund,
                            internal::CreateRefundToJson(request, actions::kRefund)},
                           options);
    if (!payload) return payload.status();
    return Parse(internal::ParseRefund, *payload, Operation::kCreateRefund);
  }

  StatusOr<Refund> QueryRefund(QueryRefundRequest const& request,
                               CallOptions const& options) override {
    auto payload =
        Execute({Operation::kQueryRefund, actions::kRefundQuery,
                 ActionBody(actions::kRefundQuery, "out_refund_no", request.out_refund_no)},
                options);
    if (!payload) return payload.status();
    return Parse(internal::ParseRefund, *payload, Operation::kQueryRefund);
  }

  // pay-common routes only the actions of its ALLOWED_ACTIONS list, and none of them applies
  // for an abnormal refund (docs/protocol.md, "Routing"): say so instead of sending a call
  // the gateway would refuse.
  StatusOr<Refund> ApplyAbnormalRefund(ApplyAbnormalRefundRequest const&,
                                       CallOptions const&) override {
    return Status(StatusCode::kUnimplemented,
                  "the CloudBase gateway (pay-common) has no action for apply-abnormal-refund; "
                  "use the direct channel (merchant keys) for abnormal refunds; nothing was sent");
  }

 private:
  // Maps WeChat's object with `parse`. A success without the object, or with one of the wrong
  // shape, is malformed; after a write the outcome is then unknown.
  template <typename ParseFn>
  static auto Parse(ParseFn parse, GatewayPayload const& payload, Operation operation)
      -> decltype(parse(std::string_view())) {
    using Result = decltype(parse(std::string_view()));
    Result parsed =
        payload.json.empty()
            ? Result(Status(StatusCode::kMalformedResponse,
                            "malformed pay-common answer: WeChat status " +
                                std::to_string(payload.meta.http_status) + " without /data/data"))
            : parse(payload.json);
    if (!parsed) return internal::UnmappedAnswer(parsed.status(), payload.meta, operation);
    parsed->meta = payload.meta;
    return parsed;
  }

  StatusOr<GatewayPayload> Execute(GatewayCall const& call, CallOptions const& options) const {
    // One refresh per operation, whatever the number of retries: a token refused twice is
    // not going to be accepted.
    bool refreshed = false;
    // The label only appears in log lines.
    std::string const label =
        pipeline_.logging() ? "POST _action=" + std::string(call.action) : std::string();
    return pipeline_.Run<GatewayPayload>(
        call.operation, options, label,
        [&](AttemptBudget const& budget) { return AttemptOnce(call, budget, label, refreshed); });
  }

  // The provider's token, checked; errors never contain it.
  StatusOr<std::string> CurrentToken(bool force_refresh) const {
    auto token = tokens_->Token(force_refresh);
    if (!token) {
      return Status(token.status().code(),
                    "the access token provider failed: " + token.status().message(),
                    token.status().info());
    }
    if (token->empty()) {
      return Status(StatusCode::kUnauthenticated,
                    std::string("no access token; ") + internal::kAuthenticatedLoginRequired);
    }
    if (!IsHeaderSafeToken(*token)) {
      return Status(StatusCode::kUnauthenticated,
                    "the access token provider returned a token that is not a Bearer credential "
                    "(visible ASCII without spaces, no 'Bearer ' prefix)");
    }
    return token;
  }

  // One attempt: send with the current token; when the gateway refuses it, refresh once and
  // resend (the gateway refused before invoking the function, so this is no retry, even for a
  // write). The failure's class comes from the unwrapped answer; nothing here decides a retry.
  Attempt<GatewayPayload> AttemptOnce(GatewayCall const& call, AttemptBudget budget,
                                      std::string const& label, bool& refreshed) const {
    auto const started = std::chrono::steady_clock::now();
    // A token provider's failure is local, whatever its code: nothing was sent with it.
    auto token = CurrentToken(false);
    if (!token) return Local(token.status());
    GatewayOutcome outcome = Send(call, *token, budget, label);
    std::string fresh_token;
    bool refused_again = false;
    if (outcome.token_rejected && !refreshed && tokens_->CanRefresh()) {
      refreshed = true;
      auto const& info = outcome.result.status().info();
      pipeline_.Log(LogLevel::kInfo, "the CloudBase gateway refused the access token (HTTP " +
                                         std::to_string(info.http_status) + " " +
                                         info.service_code +
                                         "); asking the token provider for a fresh one");
      auto fresh = CurrentToken(true);
      if (!fresh) return Local(fresh.status());
      fresh_token = *std::move(fresh);
      // A provider that hands back the refused token cannot help: report the refusal.
      if (fresh_token != *token) {
        // The resend gets what is left of this attempt's time.
        if (budget.timeout.count() > 0) {
          auto const used = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - started);
          budget.timeout = std::max(budget.timeout - used, std::chrono::milliseconds(1));
          budget.connect_timeout = std::min(budget.connect_timeout, budget.timeout);
        }
        outcome = Send(call, fresh_token, budget, label);
        refused_again = outcome.token_rejected;
      }
    }
    if (outcome.result.ok()) return {std::move(outcome.result)};
    Status const& status = outcome.result.status();
    Status failed =
        refused_again
            ? Status(status.code(), "refused again after a token refresh: " + status.message(),
                     status.info())
            : status;
    return {Redact(failed, *token, fresh_token), outcome.failure, outcome.retry_after};
  }

  static Attempt<GatewayPayload> Local(Status status) {
    return {std::move(status), internal::FailureClass::kLocal, std::chrono::milliseconds(0)};
  }

  GatewayOutcome Send(GatewayCall const& call, std::string const& token,
                      AttemptBudget const& budget, std::string const& label) const {
    HttpRequest request;
    request.method = "POST";
    request.url = endpoint_;
    request.body = call.body;
    request.headers.Add(std::string(headers::kAuthorization),
                        std::string(kBearerScheme) + " " + token);
    // The id header is named always: the on_request event reads it too.
    CallPipeline::LogLines log{std::string(), label, headers::kGatewayRequestId};
    if (pipeline_.logging()) {
      log.request_line = "POST " + endpoint_ + " _action=" + std::string(call.action);
    }
    auto sent = pipeline_.Send(std::move(request), budget, log,
                               [&token](HttpResponse& answer) { ScrubToken(answer, token); });
    if (!sent) {
      // Classified by the pipeline from the transport's Status (retry_table.hpp).
      GatewayOutcome outcome;
      outcome.result = sent.status();
      outcome.failure = internal::ClassifyStatus(sent.status());
      return outcome;
    }
    return internal::UnwrapGatewayResponse(*sent);
  }

  // Defence in depth: no answer should echo the token, but if one does (in a header or the
  // body), it is gone before anything reads the answer, so it cannot reach a request id, a
  // message or a log line.
  static void ScrubToken(HttpResponse& response, std::string const& token) {
    ReplaceAll(response.body, token, kRedacted);
    HttpHeaders scrubbed;
    for (auto const& [name, value] : response.headers) {
      std::string clean = value;
      ReplaceAll(clean, token, kRedacted);
      scrubbed.Add(name, std::move(clean));
    }
    response.headers = std::move(scrubbed);
  }

  static Status Redact(Status const& status, std::string const& token,
                       std::string const& fresh_token) {
    std::string message = status.message();
    ErrorInfo info = status.info();
    for (std::string const* secret : {&token, &fresh_token}) {
      for (std::string* text : {&message, &info.service_message, &info.detail, &info.service_code,
                                &info.request_id, &info.gateway_request_id}) {
        ReplaceAll(*text, *secret, kRedacted);
      }
    }
    return Status(status.code(), std::move(message), std::move(info));
  }

  std::string endpoint_;
  std::shared_ptr<AccessTokenProvider> tokens_;
  CallPipeline pipeline_;
};

// Checks the gateway settings and builds the function's URL.
StatusOr<std::string> GatewayEndpoint(GatewayConfig const& gateway) {
  if (!gateway.env_id.empty() && !IsEnvId(gateway.env_id)) {
    return ConfigError("gateway.envId",
                       "gateway.envId must be a CloudBase environment id: 1-63 letters, digits "
                       "and '-', not starting or ending with '-' (got " +
                           internal::QuoteForMessage(gateway.env_id) + ")");
  }
  if (!IsFunctionName(gateway.function_name)) {
    return ConfigError(
        "gateway.functionName",
        gateway.function_name.empty()
            ? std::string("gateway.functionName is required (configuration key "
                          "gateway.functionName or environment variable "
                          "WECHATPAY_GATEWAY_FUNCTION), e.g. pay-common")
            : "gateway.functionName must match ^[a-zA-Z][a-zA-Z0-9_-]{0,58}[a-zA-Z0-9]$ (got " +
                  internal::QuoteForMessage(gateway.function_name) + ")");
  }
  std::string base;
  if (!gateway.url.empty()) {
    if (auto checked = internal::CheckServiceUrl(gateway.url, "gateway.url"); !checked) {
      return checked.status();
    }
    base = gateway.url;
    while (!base.empty() && base.back() == '/') base.pop_back();
  } else if (gateway.env_id.empty()) {
    return ConfigError("gateway.envId",
                       "gateway.envId is required unless gateway.url is set (configuration key "
                       "gateway.envId or environment variable WECHATPAY_GATEWAY_ENV_ID)");
  } else {
    base = "https://" + gateway.env_id + std::string(kGatewayHostSuffix);
  }
  // webfn=true: pay-common is an HTTP (web) function; without it the gateway treats the call
  // as an event function invocation.
  return base + "/v1/functions/" + gateway.function_name + "?webfn=true";
}

}  // namespace

std::shared_ptr<AccessTokenProvider> MakeFixedTokenProvider(std::string token) {
  return std::make_shared<FixedTokenProvider>(std::move(token));
}

std::shared_ptr<AccessTokenProvider> MakeCallbackTokenProvider(
    std::function<StatusOr<std::string>()> fetch) {
  return std::make_shared<CallbackTokenProvider>(std::move(fetch));
}

StatusOr<std::shared_ptr<NativePayChannel>> MakeGatewayChannel(
    MerchantConfig const& config, ClientOptions options,
    std::shared_ptr<AccessTokenProvider> tokens) {
  if (!config.gateway) {
    return ConfigError("gateway",
                       "gateway settings are required for the CloudBase backend (configuration "
                       "object gateway or the WECHATPAY_GATEWAY_* environment variables)");
  }
  auto const& gateway = *config.gateway;
  auto endpoint = GatewayEndpoint(gateway);
  if (!endpoint) return endpoint.status();
  if (!tokens) {
    if (gateway.access_token.empty()) {
      // Unauthenticated rather than a configuration error: the fix is a login, and the CLI
      // reports every missing, anonymous or expired token the same way (exit 5).
      return internal::ErrorWithField(
          StatusCode::kUnauthenticated, "gateway.accessToken",
          std::string("gateway.accessToken is missing (configuration key gateway.accessToken or "
                      "environment variable WECHATPAY_ACCESS_TOKEN); ") +
              internal::kAuthenticatedLoginRequired);
    }
    if (!IsHeaderSafeToken(gateway.access_token)) {
      return ConfigError("gateway.accessToken",
                         "gateway.accessToken must be the bare token: visible ASCII without "
                         "spaces, no 'Bearer ' prefix");
    }
    tokens = MakeFixedTokenProvider(gateway.access_token);
  }
  auto pipeline = CallPipeline::Create(config, std::move(options));
  if (!pipeline) return pipeline.status();
  return std::shared_ptr<NativePayChannel>(std::make_shared<GatewayChannel>(
      *std::move(endpoint), std::move(tokens), *std::move(pipeline)));
}

}  // namespace wechatpay
