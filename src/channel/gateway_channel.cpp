// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The CloudBase pay-common backend: validate the gateway settings once, then for every call
// POST an `_action` body with a Bearer token to the gateway, refresh a refused token once, read
// the answer with UnwrapGatewayResponse and map it onto the same typed results and Status
// categories as the direct backend. Nothing here is signed or verified: pay-common holds the
// merchant key and does not pass WeChat's signatures through (docs/gateway.md).

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "channel/call_outcome.hpp"
#include "channel/gateway_unwrap.hpp"
#include "channel/retry_loop.hpp"
#include "channel/user_agent.hpp"
#include "common/config_error.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"
#include "common/url.hpp"
#include "common/wipe.hpp"
#include "http/ca_file.hpp"
#include "json/json_codec.hpp"
#include "wechatpay/channel/gateway.hpp"
#include "wechatpay/http/curl_transport.hpp"

namespace wechatpay {
namespace {

using internal::Attempt;
using internal::AttemptBudget;
using internal::ConfigError;
using internal::GatewayOutcome;
using internal::GatewayPayload;
using internal::GatewayRetry;

// pay-common's `_action` routes (docs/protocol.md, "Routing").
constexpr char kActionOrder[] = "wxpay_order_native";
constexpr char kActionQueryByOutTradeNo[] = "wxpay_query_order_by_out_trade_no";
constexpr char kActionQueryById[] = "wxpay_query_order_by_transaction_id";
constexpr char kActionClose[] = "wxpay_close_order";
constexpr char kActionRefund[] = "wxpay_refund";
constexpr char kActionRefundQuery[] = "wxpay_refund_query";

// Written in place of a token should one ever be echoed back in an answer.
constexpr char kRedacted[] = "[redacted]";

// One call: the body sent and, for writes, what to do when the outcome is unknown.
struct GatewayCall {
  std::string_view action;
  std::string body;
  // Orders, closes and refunds change state; queries are reads and always safe to resend,
  // although every call here is an HTTP POST.
  bool write = false;
  std::string_view unknown_outcome_advice;
};

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
  GatewayChannel(std::string endpoint, Timeouts timeouts,
                 std::shared_ptr<AccessTokenProvider> tokens, ClientOptions options)
      : endpoint_(std::move(endpoint)),
        timeouts_(timeouts),
        tokens_(std::move(tokens)),
        options_(std::move(options)) {}

  StatusOr<NativePrepayResponse> NativePrepay(NativePrepayRequest const& request) override {
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
    injection.action = kActionOrder;
    injection.write_use_service_account = true;
    auto payload =
        Execute({kActionOrder, internal::NativePrepayToJson(request, injection), true,
                 "query the order by out_trade_no before ordering again with the same parameters"});
    if (!payload) return payload.status();
    return Parse(internal::ParseNativePrepayResponse, *payload,
                 "query the order by out_trade_no before ordering again with the same parameters");
  }

  StatusOr<Transaction> QueryOrderByOutTradeNo(
      QueryOrderByOutTradeNoRequest const& request) override {
    auto payload = Execute({kActionQueryByOutTradeNo,
                            internal::StringObjectToJson({{"_action", kActionQueryByOutTradeNo},
                                                          {"out_trade_no", request.out_trade_no}}),
                            false,
                            {}});
    if (!payload) return payload.status();
    return Parse(internal::ParseTransaction, *payload, {});
  }

  StatusOr<Transaction> QueryOrderById(QueryOrderByIdRequest const& request) override {
    auto payload =
        Execute({kActionQueryById,
                 internal::StringObjectToJson(
                     {{"_action", kActionQueryById}, {"transaction_id", request.transaction_id}}),
                 false,
                 {}});
    if (!payload) return payload.status();
    return Parse(internal::ParseTransaction, *payload, {});
  }

  StatusOr<CloseOrderResponse> CloseOrder(CloseOrderRequest const& request) override {
    auto payload = Execute({kActionClose,
                            internal::StringObjectToJson({{"_action", kActionClose},
                                                          {"out_trade_no", request.out_trade_no}}),
                            true, "query the order by out_trade_no to learn whether it is closed"});
    if (!payload) return payload.status();
    // WeChat answers 204 without a body; whatever pay-common wraps around it is not needed.
    return CloseOrderResponse{payload->meta};
  }

  StatusOr<Refund> CreateRefund(CreateRefundRequest const& request) override {
    constexpr std::string_view kAdvice =
        "query the refund by out_refund_no before retrying with the same out_refund_no";
    auto payload = Execute(
        {kActionRefund, internal::CreateRefundToJson(request, kActionRefund), true, kAdvice});
    if (!payload) return payload.status();
    return Parse(internal::ParseRefund, *payload, kAdvice);
  }

  StatusOr<Refund> QueryRefund(QueryRefundRequest const& request) override {
    auto payload =
        Execute({kActionRefundQuery,
                 internal::StringObjectToJson(
                     {{"_action", kActionRefundQuery}, {"out_refund_no", request.out_refund_no}}),
                 false,
                 {}});
    if (!payload) return payload.status();
    return Parse(internal::ParseRefund, *payload, {});
  }

 private:
  // Maps WeChat's object with `parse`. A success without the object, or with one of the wrong
  // shape, is malformed; after a write the outcome is then unknown (`advice` non-empty).
  template <typename ParseFn>
  static auto Parse(ParseFn parse, GatewayPayload const& payload, std::string_view advice)
      -> decltype(parse(std::string_view())) {
    using Result = decltype(parse(std::string_view()));
    Result parsed =
        payload.json.empty()
            ? Result(Status(StatusCode::kMalformedResponse,
                            "malformed pay-common answer: WeChat status " +
                                std::to_string(payload.meta.http_status) + " without /data/data"))
            : parse(payload.json);
    if (!parsed) return internal::UnmappedAnswer(parsed.status(), payload.meta, advice);
    parsed->meta = payload.meta;
    return parsed;
  }

  void Log(LogLevel level, std::string const& line) const {
    if (options_.logger) options_.logger(level, line);
  }

  StatusOr<GatewayPayload> Execute(GatewayCall const& call) const {
    auto sleep = options_.sleep
                     ? options_.sleep
                     : std::function<void(std::chrono::milliseconds)>(
                           [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); });
    // One refresh per operation, whatever the number of retries: a token refused twice is
    // not going to be accepted.
    bool refreshed = false;
    // The label only appears in log lines.
    std::string const label =
        options_.logger ? "POST _action=" + std::string(call.action) : std::string();
    return internal::RunWithRetries<GatewayPayload>(
        options_.retry, timeouts_, sleep, options_.logger, label,
        [&](AttemptBudget const& budget) { return AttemptOnce(call, budget, refreshed); });
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

  Attempt<GatewayPayload> AttemptOnce(GatewayCall const& call, AttemptBudget budget,
                                      bool& refreshed) const {
    auto const started = std::chrono::steady_clock::now();
    auto token = CurrentToken(false);
    if (!token) return {token.status()};
    GatewayOutcome outcome = Send(call, *token, budget);
    std::string fresh_token;
    bool refused_again = false;
    if (outcome.token_rejected && !refreshed && tokens_->CanRefresh()) {
      refreshed = true;
      auto const& info = outcome.result.status().info();
      Log(LogLevel::kInfo, "the CloudBase gateway refused the access token (HTTP " +
                               std::to_string(info.http_status) + " " + info.service_code +
                               "); asking the token provider for a fresh one");
      auto fresh = CurrentToken(true);
      if (!fresh) return {fresh.status()};
      fresh_token = *std::move(fresh);
      // A provider that hands back the refused token cannot help: report the refusal.
      if (fresh_token != *token) {
        // The gateway refused before invoking the function, so resending a write is safe. The
        // resend gets what is left of this attempt's time.
        if (budget.timeout.count() > 0) {
          auto const used = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - started);
          budget.timeout = std::max(budget.timeout - used, std::chrono::milliseconds(1));
          budget.connect_timeout = std::min(budget.connect_timeout, budget.timeout);
        }
        outcome = Send(call, fresh_token, budget);
        refused_again = outcome.token_rejected;
      }
    }
    auto attempt = Finish(call, std::move(outcome), refused_again);
    if (!attempt.result.ok()) attempt.result = Redact(attempt.result.status(), *token, fresh_token);
    return attempt;
  }

  GatewayOutcome Send(GatewayCall const& call, std::string const& token,
                      AttemptBudget const& budget) const {
    HttpRequest request;
    request.method = "POST";
    request.url = endpoint_;
    request.body = call.body;
    request.timeout = budget.timeout;
    request.connect_timeout = budget.connect_timeout;
    request.headers.Add("Authorization", "Bearer " + token);
    request.headers.Add("Content-Type", "application/json");
    request.headers.Add("Accept", "application/json");
    request.headers.Add("User-Agent", internal::UserAgent());
    Log(LogLevel::kDebug, "> POST " + endpoint_ + " _action=" + std::string(call.action));

    auto sent = options_.transport->Send(request);
    if (!sent) {
      Status const& status = sent.status();
      bool const transport_error =
          status.code() == StatusCode::kTransport || status.code() == StatusCode::kDeadlineExceeded;
      bool const maybe_sent = status.info().outcome_unknown;
      GatewayOutcome outcome;
      outcome.result = status;
      // Like the direct backend: a request that provably never left is always resent; one that
      // may have arrived only when it is a read.
      outcome.retry = !transport_error ? GatewayRetry::kNo
                      : maybe_sent     ? GatewayRetry::kReadsOnly
                                       : GatewayRetry::kYes;
      outcome.may_have_been_applied = maybe_sent;
      return outcome;
    }
    ScrubToken(*sent, token);
    GatewayOutcome outcome = internal::UnwrapGatewayResponse(*sent);
    std::string const gateway_id =
        internal::PrintableUntrusted(sent->headers.Get("X-Request-Id"), 128);
    Log(LogLevel::kDebug, "< " + std::to_string(sent->status_code) +
                              " POST _action=" + std::string(call.action) +
                              (gateway_id.empty() ? "" : " X-Request-Id " + gateway_id));
    return outcome;
  }

  // The attempt's verdict for this operation: whether to retry, and whether the outcome of a
  // write is unknown.
  static Attempt<GatewayPayload> Finish(GatewayCall const& call, GatewayOutcome outcome,
                                        bool refused_again) {
    if (outcome.result.ok()) return {std::move(outcome.result)};
    Status const& status = outcome.result.status();
    Status failed =
        refused_again
            ? Status(status.code(), "refused again after a token refresh: " + status.message(),
                     status.info())
            : status;
    bool const retryable = outcome.retry == GatewayRetry::kYes ||
                           (outcome.retry == GatewayRetry::kReadsOnly && !call.write);
    failed = call.write && outcome.may_have_been_applied
                 ? internal::WithUnknownOutcome(failed, call.unknown_outcome_advice)
                 : internal::WithKnownOutcome(failed);
    return {std::move(failed), retryable, outcome.retry_after};
  }

  // Defence in depth: no answer should ever echo the token, but if one does, it goes no
  // further than this function.
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
  Timeouts timeouts_;
  std::shared_ptr<AccessTokenProvider> tokens_;
  ClientOptions options_;
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
    auto parsed = internal::ParseUrl(gateway.url);
    // User info is a credential: refused without quoting any of the URL.
    if (parsed && parsed->has_userinfo) {
      return ConfigError("gateway.url", "gateway.url must not contain user info (user:password@)");
    }
    if (!parsed || parsed->has_query || parsed->has_fragment) {
      return ConfigError("gateway.url",
                         "gateway.url must be an absolute http(s) URL without query, fragment or "
                         "user info (" +
                             internal::UrlForMessage(gateway.url) + ")");
    }
    if (parsed->scheme != "https" && !internal::IsLoopbackHost(parsed->host)) {
      return ConfigError("gateway.url",
                         "gateway.url must use https; plain http is allowed only for loopback "
                         "hosts (" +
                             internal::UrlForMessage(gateway.url) + ")");
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
  if (!options.transport) {
    if (auto status = internal::CheckCaFile(config.ca_file); !status.ok()) return status;
    CurlTransportOptions transport_options;
    transport_options.ca_file = config.ca_file;
    transport_options.connect_timeout = config.timeouts.connect;
    transport_options.timeout = config.timeouts.total;
    options.transport = MakeCurlTransport(std::move(transport_options));
  }
  if (options.retry.max_retries < 0) options.retry.max_retries = 0;
  return std::shared_ptr<NativePayChannel>(std::make_shared<GatewayChannel>(
      *std::move(endpoint), config.timeouts, std::move(tokens), std::move(options)));
}

}  // namespace wechatpay
