// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The direct API v3 backend: validate the configuration once, then for every call sign the exact
// request target and body, send, verify every 2xx (204 included) before trusting it, and map
// WeChat's answers and errors into typed results and Status categories.

#include <chrono>
#include <thread>

#include "channel/call_outcome.hpp"
#include "channel/retry_loop.hpp"
#include "channel/user_agent.hpp"
#include "common/config_error.hpp"
#include "common/nonce.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"
#include "common/url.hpp"
#include "http/ca_file.hpp"
#include "json/json_codec.hpp"
#include "wechatpay/channel/channel.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/protocol/credentials.hpp"
#include "wechatpay/protocol/signing.hpp"
#include "wechatpay/protocol/validation.hpp"

namespace wechatpay {
namespace {

using internal::Attempt;
using internal::AttemptBudget;
using internal::ConfigError;

constexpr char kPrepayPath[] = "/v3/pay/transactions/native";
constexpr char kRefundsPath[] = "/v3/refund/domestic/refunds";

// What a caller must do when a write's outcome is unknown.
constexpr std::string_view kPrepayAdvice =
    "query the order by out_trade_no before ordering again with the same parameters";
constexpr std::string_view kCloseAdvice =
    "query the order by out_trade_no to learn whether it is closed";
constexpr std::string_view kRefundAdvice =
    "query the refund by out_refund_no before retrying with the same out_refund_no";

// One API call: what is sent and, for POSTs, what the caller must do when the outcome is unknown.
struct ApiCall {
  std::string_view method;
  std::string target;  // path and query, relative to the base URL's path
  std::string body;
  std::string_view unknown_outcome_advice;
};

// A 2xx answer whose signature has been verified.
struct VerifiedResponse {
  HttpResponse response;
  ResponseMetadata meta;
};

Status CheckBaseUrl(std::string const& base_url, std::string& prefix) {
  auto parsed = internal::ParseUrl(base_url);
  // User info is a credential: refused without quoting any of the URL.
  if (parsed && parsed->has_userinfo)
    return ConfigError("baseUrl", "baseUrl must not contain user info (user:password@)");
  if (!parsed || parsed->has_query || parsed->has_fragment) {
    return ConfigError("baseUrl",
                       "baseUrl must be an absolute http(s) URL without query, fragment or user "
                       "info (" +
                           internal::UrlForMessage(base_url) + ")");
  }
  if (parsed->scheme != "https" && !internal::IsLoopbackHost(parsed->host)) {
    return ConfigError("baseUrl",
                       "baseUrl must use https; plain http is allowed only for loopback hosts (" +
                           internal::UrlForMessage(base_url) + ")");
  }
  prefix = parsed->target;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return Status();
}

Status CheckAppId(std::string const& app_id) {
  if (app_id.empty()) {
    return ConfigError(
        "appId",
        "appId is required (configuration key appId or environment variable WECHATPAY_APP_ID)");
  }
  if (app_id.size() > 32) return ConfigError("appId", "appId must be at most 32 characters");
  for (char c : app_id) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '\\') {
      return ConfigError("appId", "appId must be printable ASCII without spaces or quotes");
    }
  }
  return Status();
}

class DirectChannel : public NativePayChannel {
 public:
  DirectChannel(MerchantConfig const& config, std::string public_key_id, std::string base_path,
                RequestSigner signer, SignatureVerifier verifier, ClientOptions options)
      : app_id_(config.app_id),
        merchant_id_(config.merchant_id),
        notify_url_(config.notify_url),
        public_key_id_(std::move(public_key_id)),
        base_url_(config.base_url),
        base_path_(std::move(base_path)),
        timeouts_(config.timeouts),
        signer_(std::move(signer)),
        verifier_(std::move(verifier)),
        options_(std::move(options)) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  }

  StatusOr<NativePrepayResponse> NativePrepay(NativePrepayRequest const& request) override {
    internal::PrepayInjection injection;
    injection.appid = app_id_;
    injection.mchid = merchant_id_;
    injection.notify_url = notify_url_;
    if (!request.notify_url && notify_url_.empty()) {
      return internal::InvalidArgument(
          "notify_url",
          "notify_url is required: set notifyUrl in the configuration or notify_url "
          "on the request");
    }
    auto response = Execute(
        {"POST", kPrepayPath, internal::NativePrepayToJson(request, injection), kPrepayAdvice});
    if (!response) return response.status();
    return Map(internal::ParseNativePrepayResponse, *response, kPrepayAdvice);
  }

  StatusOr<Transaction> QueryOrderByOutTradeNo(
      QueryOrderByOutTradeNoRequest const& request) override {
    return QueryTransaction("/v3/pay/transactions/out-trade-no/" +
                            internal::PercentEncode(request.out_trade_no));
  }

  StatusOr<Transaction> QueryOrderById(QueryOrderByIdRequest const& request) override {
    return QueryTransaction("/v3/pay/transactions/id/" +
                            internal::PercentEncode(request.transaction_id));
  }

  StatusOr<CloseOrderResponse> CloseOrder(CloseOrderRequest const& request) override {
    auto response =
        Execute({"POST",
                 "/v3/pay/transactions/out-trade-no/" +
                     internal::PercentEncode(request.out_trade_no) + "/close",
                 internal::StringObjectToJson({{"mchid", merchant_id_}}), kCloseAdvice});
    if (!response) return response.status();
    return CloseOrderResponse{response->meta};
  }

  StatusOr<Refund> CreateRefund(CreateRefundRequest const& request) override {
    auto response =
        Execute({"POST", kRefundsPath, internal::CreateRefundToJson(request), kRefundAdvice});
    if (!response) return response.status();
    return Map(internal::ParseRefund, *response, kRefundAdvice);
  }

  StatusOr<Refund> QueryRefund(QueryRefundRequest const& request) override {
    auto response =
        Execute({"GET",
                 std::string(kRefundsPath) + "/" + internal::PercentEncode(request.out_refund_no),
                 std::string(),
                 {}});
    if (!response) return response.status();
    return Map(internal::ParseRefund, *response, {});
  }

 private:
  // Maps a verified answer with `parse`. One that cannot be mapped after a write (`advice`
  // non-empty) leaves the outcome unknown: WeChat has applied the request.
  template <typename ParseFn>
  static auto Map(ParseFn parse, VerifiedResponse const& response, std::string_view advice)
      -> decltype(parse(std::string_view())) {
    auto parsed = parse(response.response.body);
    if (!parsed) return internal::UnmappedAnswer(parsed.status(), response.meta, advice);
    parsed->meta = response.meta;
    return parsed;
  }

  StatusOr<Transaction> QueryTransaction(std::string path) {
    auto response = Execute(
        {"GET", path + "?mchid=" + internal::PercentEncode(merchant_id_), std::string(), {}});
    if (!response) return response.status();
    return Map(internal::ParseTransaction, *response, {});
  }

  std::chrono::system_clock::time_point Now() const {
    return options_.clock ? options_.clock() : std::chrono::system_clock::now();
  }

  void Log(LogLevel level, std::string const& line) const {
    if (options_.logger) options_.logger(level, line);
  }

  StatusOr<VerifiedResponse> Execute(ApiCall const& call) const {
    auto sleep = options_.sleep
                     ? options_.sleep
                     : std::function<void(std::chrono::milliseconds)>(
                           [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); });
    // The label only appears in log lines.
    std::string const label =
        options_.logger ? std::string(call.method) + " " + call.target : std::string();
    return internal::RunWithRetries<VerifiedResponse>(
        options_.retry, timeouts_, sleep, options_.logger, label,
        [&](AttemptBudget const& budget) { return AttemptOnce(call, budget); });
  }

  Attempt<VerifiedResponse> AttemptOnce(ApiCall const& call, AttemptBudget const& budget) const {
    bool const is_get = call.method == "GET";
    std::string const canonical = base_path_ + call.target;
    auto const timestamp =
        std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
    auto authorization = signer_.Authorization(call.method, canonical, call.body, timestamp,
                                               internal::GenerateNonce());
    if (!authorization) return {authorization.status()};

    HttpRequest request;
    request.method = std::string(call.method);
    request.url = base_url_ + call.target;
    request.body = call.body;
    request.timeout = budget.timeout;
    request.connect_timeout = budget.connect_timeout;
    request.headers.Add("Authorization", *std::move(authorization));
    request.headers.Add("Accept", "application/json");
    request.headers.Add("Content-Type", "application/json");
    request.headers.Add("User-Agent", internal::UserAgent());
    // Names the key WeChat should sign the answer with (public-key mode; docs/protocol.md,
    // "Choosing the key: Wechatpay-Serial").
    request.headers.Add("Wechatpay-Serial", public_key_id_);
    // Log lines are built only for a logger: concatenating them costs allocations per call.
    if (options_.logger) Log(LogLevel::kDebug, "> " + request.method + " " + canonical);

    auto sent = options_.transport->Send(request);
    if (!sent) return TransportFailure(call, sent.status());
    HttpResponse& response = *sent;
    // The Request-ID is quoted in errors and logs: printable and bounded like all network text.
    ResponseMetadata meta{response.status_code,
                          internal::PrintableUntrusted(response.headers.Get("Request-ID"), 128)};
    if (options_.logger) {
      Log(LogLevel::kDebug, "< " + std::to_string(meta.http_status) + " " + request.method + " " +
                                canonical +
                                (meta.request_id.empty() ? "" : " Request-ID " + meta.request_id));
    }

    if (response.status_code >= 200 && response.status_code < 300 && response.status_code != 202) {
      auto verified =
          verifier_.Verify(SignatureHeaders::From(response.headers), response.body, Now());
      if (!verified.ok()) {
        ErrorInfo info = verified.info();
        info.http_status = meta.http_status;
        info.request_id = meta.request_id;
        Status failed(StatusCode::kVerificationFailed,
                      "response to " + request.method + " " + canonical +
                          " failed verification and was not trusted: " + verified.message(),
                      std::move(info));
        // The service may have applied the request even though its answer cannot be trusted.
        if (!is_get) return {internal::WithUnknownOutcome(failed, call.unknown_outcome_advice)};
        return {std::move(failed)};
      }
      return {VerifiedResponse{std::move(response), std::move(meta)}};
    }
    return ServiceFailure(call, response, meta);
  }

  Attempt<VerifiedResponse> TransportFailure(ApiCall const& call, Status const& status) const {
    bool const is_get = call.method == "GET";
    bool const transport_error =
        status.code() == StatusCode::kTransport || status.code() == StatusCode::kDeadlineExceeded;
    bool const maybe_sent = status.info().outcome_unknown;
    // A GET changes nothing, so it is always safe to repeat; a POST only when it provably never
    // reached the server (the transport says so by leaving outcome_unknown unset).
    bool const retryable = transport_error && (is_get || !maybe_sent);
    if (!is_get && maybe_sent) {
      return {internal::WithUnknownOutcome(status, call.unknown_outcome_advice), retryable};
    }
    return {internal::WithKnownOutcome(status), retryable};
  }

  Attempt<VerifiedResponse> ServiceFailure(ApiCall const& call, HttpResponse const& response,
                                           ResponseMetadata const& meta) const {
    int const code = response.status_code;
    auto body = internal::ParseServiceErrorBody(response.body);
    ErrorInfo info;
    info.http_status = code;
    info.request_id = meta.request_id;
    info.service_code = body.code;
    info.service_message = body.message;
    info.detail = body.detail;
    // 202 (accepted, not processed), 429 and 5xx: WeChat asks for the same request again; its
    // operations are reentrant with identical parameters.
    bool const retryable = code == 202 || code == 429 || code >= 500;
    std::string message = "WeChat Pay answered HTTP " + std::to_string(code);
    if (!body.code.empty()) message += " " + body.code;
    if (!body.message.empty()) message += ": " + body.message;
    if (body.code.empty() && body.message.empty()) message += " without a WeChat error body";
    Status failed(StatusCode::kServiceError, std::move(message), std::move(info));
    auto const retry_after = internal::RetryAfterHint(response.headers.Get("Retry-After"));
    if (call.method != "GET" && retryable) {
      return {internal::WithUnknownOutcome(failed, call.unknown_outcome_advice), retryable,
              retry_after};
    }
    return {std::move(failed), retryable, retry_after};
  }

  std::string app_id_;
  std::string merchant_id_;
  std::string notify_url_;
  std::string public_key_id_;
  std::string base_url_;
  std::string base_path_;
  Timeouts timeouts_;
  RequestSigner signer_;
  SignatureVerifier verifier_;
  ClientOptions options_;
};

}  // namespace

StatusOr<std::shared_ptr<NativePayChannel>> MakeDirectChannel(MerchantConfig const& config,
                                                              ClientOptions options) {
  auto status = CheckAppId(config.app_id);
  if (!status.ok()) return status;
  std::string base_path;
  status = CheckBaseUrl(config.base_url, base_path);
  if (!status.ok()) return status;
  if (!config.notify_url.empty()) {
    status = ValidateNotifyUrl(config.notify_url, "notifyUrl",
                               ValidationOptions{config.allow_http_notify_url});
    if (!status.ok()) return ConfigError("notifyUrl", status.message());
  }
  // The APIv3 key is not needed to call the API, but a wrong one would only surface when the
  // first notification fails to decrypt: check it now when it is configured.
  if (!config.api_v3_key.empty()) {
    auto cipher = MakeAesGcmCipher(config);
    if (!cipher) return cipher.status();
  }
  auto signer = MakeRequestSigner(config);
  if (!signer) return signer.status();
  auto public_key = LoadWxPayPublicKey(config);
  if (!public_key) return public_key.status();
  SignatureVerifier verifier;
  status = verifier.AddKey(public_key->id, public_key->key);
  if (!status.ok()) return status;
  if (!options.transport) {
    status = internal::CheckCaFile(config.ca_file);
    if (!status.ok()) return status;
    CurlTransportOptions transport_options;
    transport_options.ca_file = config.ca_file;
    transport_options.connect_timeout = config.timeouts.connect;
    transport_options.timeout = config.timeouts.total;
    options.transport = MakeCurlTransport(std::move(transport_options));
  }
  if (options.retry.max_retries < 0) options.retry.max_retries = 0;
  return std::shared_ptr<NativePayChannel>(
      std::make_shared<DirectChannel>(config, public_key->id, std::move(base_path),
                                      *std::move(signer), std::move(verifier), std::move(options)));
}

}  // namespace wechatpay
