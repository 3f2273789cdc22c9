// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The direct API v3 backend: validate the configuration once, then for every call map the
// operation onto its API v3 request and authenticate it — sign the exact request target and
// body, verify every 2xx (204 included) before trusting it — inside the shared call pipeline
// (channel/call_pipeline.hpp), which decides retries and unknown outcomes.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

#include "channel/async_run.hpp"
#include "channel/bill_errors.hpp"
#include "channel/call_pipeline.hpp"
#include "channel/platform_keys_access.hpp"
#include "channel/request_event_fields.hpp"
#include "channel/service_failure.hpp"
#include "common/config_error.hpp"
#include "common/nonce.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"
#include "common/url.hpp"
#include "json/json_codec.hpp"
#include "wechatpay/channel/channel.hpp"
#include "wechatpay/channel/platform_keys.hpp"
#include "wechatpay/protocol/bill_digest.hpp"
#include "wechatpay/protocol/constants.hpp"
#include "wechatpay/protocol/credentials.hpp"
#include "wechatpay/protocol/signing.hpp"
#include "wechatpay/protocol/validation.hpp"

namespace wechatpay {
namespace {

using internal::Attempt;
using internal::AttemptBudget;
using internal::CallPipeline;
using internal::ConfigError;
using internal::Operation;

// One API call: the operation and what is sent.
struct ApiCall {
  Operation operation;
  std::string method;
  std::string target;  // path and query, relative to the base URL's path
  std::string body;
};

// A 2xx answer whose signature has been verified.
struct VerifiedResponse {
  HttpResponse response;
  ResponseMetadata meta;
};

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

// The query of a bill request, members in the documented order, absent ones left out.
std::string BillQuery(std::string_view bill_date, std::string_view type_name,
                      std::optional<std::string> const& type,
                      std::optional<std::string> const& tar_type) {
  std::string query = "?bill_date=" + internal::PercentEncode(bill_date);
  if (type) query += "&" + std::string(type_name) + "=" + internal::PercentEncode(*type);
  if (tar_type) query += "&tar_type=" + internal::PercentEncode(*tar_type);
  return query;
}

// The port a URL reaches: its explicit one, else its scheme's.
int EffectivePort(internal::ParsedUrl const& url) {
  if (url.port != 0) return url.port;
  return url.scheme == "https" ? 443 : 80;
}

// The most bytes a bill download may stream: the decompressed limit of the digest check, which
// a compressed file does not exceed either (gzip grows incompressible input by a few bytes per
// 16 KiB block only, and no bill is incompressible).
std::size_t BillDownloadLimit() {
  return static_cast<std::size_t>(std::min<std::uint64_t>(
      kDefaultMaxBillBytes + kDefaultMaxBillBytes / 64, std::numeric_limits<std::size_t>::max()));
}

std::string OrderPath(std::string const& out_trade_no) {
  return std::string(paths::kOrderByOutTradeNo) + internal::PercentEncode(out_trade_no);
}

class DirectChannel : public NativePayChannel, public std::enable_shared_from_this<DirectChannel> {
 public:
  DirectChannel(MerchantConfig const& config, std::shared_ptr<PlatformKeys> keys,
                std::string base_path, RequestSigner signer, CallPipeline pipeline)
      : app_id_(config.app_id),
        merchant_id_(config.merchant_id),
        notify_url_(config.notify_url),
        base_url_(config.base_url),
        base_path_(std::move(base_path)),
        signer_(std::move(signer)),
        keys_(std::move(keys)),
        verifier_(keys_->Verifier()),
        pipeline_(std::move(pipeline)) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
    // Checked by MakeDirectChannel() (CheckServiceUrl) before this runs.
    if (auto parsed = internal::ParseUrl(base_url_)) base_origin_ = *std::move(parsed);
  }

  // Each operation is a plan (what to send, how the verified answer becomes the result),
  // performed by the blocking or the asynchronous run: one mapping for both.
  StatusOr<NativePrepayResponse> NativePrepay(NativePrepayRequest const& request,
                                              CallOptions const& options) override {
    return Perform(PlanNativePrepay(request), options);
  }
  void NativePrepayAsync(NativePrepayRequest const& request, CallOptions const& options,
                         Completion<NativePrepayResponse> done) override {
    PerformAsync(PlanNativePrepay(request), options, std::move(done));
  }

  StatusOr<Transaction> QueryOrderByOutTradeNo(QueryOrderByOutTradeNoRequest const& request,
                                               CallOptions const& options) override {
    return Perform(PlanQueryByOutTradeNo(request), options);
  }
  void QueryOrderByOutTradeNoAsync(QueryOrderByOutTradeNoRequest const& request,
                                   CallOptions const& options,
                                   Completion<Transaction> done) override {
    PerformAsync(PlanQueryByOutTradeNo(request), options, std::move(done));
  }

  StatusOr<Transaction> QueryOrderById(QueryOrderByIdRequest const& request,
                                       CallOptions const& options) override {
    return Perform(PlanQueryById(request), options);
  }
  void QueryOrderByIdAsync(QueryOrderByIdRequest const& request, CallOptions const& options,
                           Completion<Transaction> done) override {
    PerformAsync(PlanQueryById(request), options, std::move(done));
  }

  StatusOr<CloseOrderResponse> CloseOrder(CloseOrderRequest const& request,
                                          CallOptions const& options) override {
    return Perform(PlanCloseOrder(request), options);
  }
  void CloseOrderAsync(CloseOrderRequest const& request, CallOptions const& options,
                       Completion<CloseOrderResponse> done) override {
    PerformAsync(PlanCloseOrder(request), options, std::move(done));
  }

  StatusOr<Refund> CreateRefund(CreateRefundRequest const& request,
                                CallOptions const& options) override {
    return Perform(PlanCreateRefund(request), options);
  }
  void CreateRefundAsync(CreateRefundRequest const& request, CallOptions const& options,
                         Completion<Refund> done) override {
    PerformAsync(PlanCreateRefund(request), options, std::move(done));
  }

  StatusOr<Refund> ApplyAbnormalRefund(ApplyAbnormalRefundRequest const& request,
                                       CallOptions const& options) override {
    return Perform(PlanAbnormalRefund(request), options);
  }
  void ApplyAbnormalRefundAsync(ApplyAbnormalRefundRequest const& request,
                                CallOptions const& options, Completion<Refund> done) override {
    PerformAsync(PlanAbnormalRefund(request), options, std::move(done));
  }

  StatusOr<Refund> QueryRefund(QueryRefundRequest const& request,
                               CallOptions const& options) override {
    return Perform(PlanQueryRefund(request), options);
  }
  void QueryRefundAsync(QueryRefundRequest const& request, CallOptions const& options,
                        Completion<Refund> done) override {
    PerformAsync(PlanQueryRefund(request), options, std::move(done));
  }

  StatusOr<BillDownloadInfo> TradeBill(TradeBillRequest const& request,
                                       CallOptions const& options) override {
    return Perform(PlanTradeBill(request), options);
  }
  void TradeBillAsync(TradeBillRequest const& request, CallOptions const& options,
                      Completion<BillDownloadInfo> done) override {
    PerformAsync(PlanTradeBill(request), options, std::move(done));
  }

  StatusOr<BillDownloadInfo> FundFlowBill(FundFlowBillRequest const& request,
                                          CallOptions const& options) override {
    return Perform(PlanFundFlowBill(request), options);
  }
  void FundFlowBillAsync(FundFlowBillRequest const& request, CallOptions const& options,
                         Completion<BillDownloadInfo> done) override {
    PerformAsync(PlanFundFlowBill(request), options, std::move(done));
  }

  StatusOr<ApiResponse> Request(ApiRequest const& request, CallOptions const& options) override {
    return Perform(PlanRequest(request), options);
  }
  void RequestAsync(ApiRequest const& request, CallOptions const& options,
                    Completion<ApiResponse> done) override {
    PerformAsync(PlanRequest(request), options, std::move(done));
  }

  StatusOr<ResponseMetadata> DownloadBill(BillDownloadInfo const& info, HttpBodySink const& sink,
                                          CallOptions const& options) override {
    auto target = DownloadTarget(info);
    if (!target) return target.status();
    std::string const label = DownloadLabel(*target);
    // Bytes handed to `sink` over every attempt: once any arrived, no attempt is repeated.
    std::uint64_t delivered = 0;
    HttpBodySink const counting = [&sink, &delivered](std::string_view chunk) {
      delivered += chunk.size();
      return sink(chunk);
    };
    (void)keys_->RefreshIfDue();
    auto downloaded = pipeline_.RunSteps<ResponseMetadata>(
        Operation::kDownloadBill, options, label, headers::kRequestId,
        [&](AttemptBudget const&) { return PrepareDownload(info.download_url, *target, counting); },
        [&](StatusOr<HttpResponse> sent) { return FinishDownload(std::move(sent), delivered); });
    if (!downloaded) return internal::BillDownloadStatus(downloaded.status());
    return downloaded;
  }

  // DownloadBill() on the transport's I/O thread: the same steps, `sink` called there.
  void DownloadBillAsync(BillDownloadInfo const& info, HttpBodySink sink,
                         CallOptions const& options, Completion<ResponseMetadata> done) override {
    auto target = DownloadTarget(info);
    if (!target) return done(target.status());
    std::string label = DownloadLabel(*target);
    // The counting sink is shared by every attempt's request (a copy would count apart).
    auto delivered = std::make_shared<std::uint64_t>(0);
    auto counting = std::make_shared<HttpBodySink const>(
        [sink = std::move(sink), delivered](std::string_view chunk) {
          *delivered += chunk.size();
          return sink(chunk);
        });
    (void)keys_->RefreshIfDue();
    pipeline_.RunAsync<ResponseMetadata>(
        Operation::kDownloadBill, options, std::move(label), headers::kRequestId,
        [this, url = info.download_url, target = *std::move(target),
         counting](AttemptBudget const&) {
          return PrepareDownload(url, target,
                                 [counting](std::string_view chunk) { return (*counting)(chunk); });
        },
        [delivered](StatusOr<HttpResponse> sent) {
          return FinishDownload(std::move(sent), *delivered);
        },
        Completion<ResponseMetadata>([done = std::move(done)](StatusOr<ResponseMetadata> meta) {
          if (!meta) return done(internal::BillDownloadStatus(meta.status()));
          done(std::move(meta));
        }),
        shared_from_this());
  }

 private:
  // What one operation sends and how its verified answer (or failure) becomes the result.
  template <typename T>
  struct Plan {
    ApiCall call;
    std::function<StatusOr<T>(StatusOr<VerifiedResponse>)> result;
    // The Wechatpay-Serial of a body with fields encrypted for that key; empty: the keys'
    // SerialToSend() at each attempt.
    std::string encrypted_for;
  };

  // The result of a plain operation: the answer mapped with `parse`, a failure as it is.
  template <typename T, typename ParseFn>
  static std::function<StatusOr<T>(StatusOr<VerifiedResponse>)> Mapped(ParseFn parse,
                                                                       Operation operation) {
    return [parse, operation](StatusOr<VerifiedResponse> response) -> StatusOr<T> {
      if (!response) return response.status();
      return Map(parse, *response, operation);
    };
  }

  template <typename T>
  StatusOr<T> Perform(StatusOr<Plan<T>> plan, CallOptions const& options) {
    if (!plan) return plan.status();
    return plan->result(Execute(plan->call, options, plan->encrypted_for));
  }

  template <typename T>
  void PerformAsync(StatusOr<Plan<T>> plan, CallOptions const& options, Completion<T> done) {
    // Refused before anything is queued (no notify_url, the bank fields not encrypted): on
    // the calling thread, as the client's validation errors are.
    if (!plan) return done(plan.status());
    auto result = std::move(plan->result);
    ExecuteAsync(std::move(plan->call), options, std::move(plan->encrypted_for),
                 [result = std::move(result), done = std::move(done)](
                     StatusOr<VerifiedResponse> response) { done(result(std::move(response))); });
  }

  StatusOr<Plan<NativePrepayResponse>> PlanNativePrepay(NativePrepayRequest const& request) const {
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
    return Plan<NativePrepayResponse>{
        {Operation::kNativePrepay, "POST", std::string(paths::kNativePrepay),
         internal::NativePrepayToJson(request, injection)},
        Mapped<NativePrepayResponse>(internal::ParseNativePrepayResponse, Operation::kNativePrepay),
        {}};
  }

  StatusOr<Plan<Transaction>> PlanQueryByOutTradeNo(
      QueryOrderByOutTradeNoRequest const& request) const {
    return PlanTransaction(Operation::kQueryOrderByOutTradeNo, OrderPath(request.out_trade_no));
  }

  StatusOr<Plan<Transaction>> PlanQueryById(QueryOrderByIdRequest const& request) const {
    return PlanTransaction(
        Operation::kQueryOrderById,
        std::string(paths::kOrderById) + internal::PercentEncode(request.transaction_id));
  }

  StatusOr<Plan<Transaction>> PlanTransaction(Operation operation, std::string path) const {
    return Plan<Transaction>{
        {operation, "GET", path + "?mchid=" + internal::PercentEncode(merchant_id_), {}},
        Mapped<Transaction>(internal::ParseTransaction, operation),
        {}};
  }

  StatusOr<Plan<CloseOrderResponse>> PlanCloseOrder(CloseOrderRequest const& request) const {
    return Plan<CloseOrderResponse>{
        {Operation::kCloseOrder, "POST",
         OrderPath(request.out_trade_no) + std::string(paths::kCloseSuffix),
         internal::StringObjectToJson({{"mchid", merchant_id_}})},
        [](StatusOr<VerifiedResponse> response) -> StatusOr<CloseOrderResponse> {
          if (!response) return response.status();
          return CloseOrderResponse{response->meta};
        },
        {}};
  }

  StatusOr<Plan<Refund>> PlanCreateRefund(CreateRefundRequest const& request) const {
    return Plan<Refund>{{Operation::kCreateRefund, "POST", std::string(paths::kRefunds),
                         internal::CreateRefundToJson(request)},
                        Mapped<Refund>(internal::ParseRefund, Operation::kCreateRefund),
                        {}};
  }

  StatusOr<Plan<Refund>> PlanAbnormalRefund(ApplyAbnormalRefundRequest const& request) const {
    // Both fields are encrypted for one key, and the header names that key: the serial the
    // first encryption chose, not whatever SerialToSend() says when an attempt is sent (a
    // certificate download in between could change it, and WeChat could not decrypt).
    auto sealed = EncryptBankFields(request);
    if (!sealed) return sealed.status();
    auto& [encrypted, serial] = *sealed;
    return Plan<Refund>{
        {Operation::kApplyAbnormalRefund, "POST",
         std::string(paths::kRefunds) + "/" + internal::PercentEncode(request.refund_id) +
             std::string(paths::kApplyAbnormalRefundSuffix),
         internal::ApplyAbnormalRefundToJson(request, encrypted)},
        Mapped<Refund>(internal::ParseRefund, Operation::kApplyAbnormalRefund),
        std::move(serial)};
  }

  StatusOr<Plan<Refund>> PlanQueryRefund(QueryRefundRequest const& request) const {
    return Plan<Refund>{
        {Operation::kQueryRefund,
         "GET",
         std::string(paths::kRefunds) + "/" + internal::PercentEncode(request.out_refund_no),
         {}},
        Mapped<Refund>(internal::ParseRefund, Operation::kQueryRefund),
        {}};
  }

  StatusOr<Plan<BillDownloadInfo>> PlanTradeBill(TradeBillRequest const& request) const {
    return PlanBill(
        {Operation::kTradeBill,
         "GET",
         std::string(paths::kTradeBill) +
             BillQuery(request.bill_date, "bill_type", request.bill_type, request.tar_type),
         {}},
        request.bill_date, request.tar_type.has_value());
  }

  StatusOr<Plan<BillDownloadInfo>> PlanFundFlowBill(FundFlowBillRequest const& request) const {
    return PlanBill(
        {Operation::kFundFlowBill,
         "GET",
         std::string(paths::kFundFlowBill) +
             BillQuery(request.bill_date, "account_type", request.account_type, request.tar_type),
         {}},
        request.bill_date, request.tar_type.has_value());
  }

  // A bill's errors name the day (BillRequestStatus); its answer records whether it is gzip.
  static Plan<BillDownloadInfo> PlanBill(ApiCall call, std::string bill_date, bool gzip) {
    auto const operation = call.operation;
    return Plan<BillDownloadInfo>{
        std::move(call),
        [operation, bill_date = std::move(bill_date),
         gzip](StatusOr<VerifiedResponse> response) -> StatusOr<BillDownloadInfo> {
          if (!response) return internal::BillRequestStatus(response.status(), bill_date);
          auto info = Map(internal::ParseBillDownloadInfo, *response, operation);
          if (info) info->gzip = gzip;
          return info;
        },
        {}};
  }

  static StatusOr<Plan<ApiResponse>> PlanRequest(ApiRequest const& request) {
    return Plan<ApiResponse>{{request.method == "GET" ? Operation::kApiRead : Operation::kApiWrite,
                              request.method, request.path_and_query, request.body},
                             [](StatusOr<VerifiedResponse> response) -> StatusOr<ApiResponse> {
                               if (!response) return response.status();
                               return ApiResponse{std::move(response->meta),
                                                  std::move(response->response.headers),
                                                  std::move(response->response.body)};
                             },
                             {}};
  }

  // One attempt of a download: sign path and query of the download URL, stream a 2xx to the
  // sink. The file answer carries no signature (the digest vouches for it), so nothing is
  // verified here.
  // The download URL, when it is one a signed request may go to.
  StatusOr<internal::ParsedUrl> DownloadTarget(BillDownloadInfo const& info) const {
    if (auto status = Validate(info); !status.ok()) return status;
    auto url = internal::ParseUrl(info.download_url);  // Validate() parsed it
    // The request carries the merchant's signature: it goes to the configured API host and
    // nowhere else, whatever a (verified) answer says.
    if (!url || url->scheme != base_origin_.scheme ||
        !internal::EqualsIgnoreCase(url->host, base_origin_.host) ||
        EffectivePort(*url) != EffectivePort(base_origin_)) {
      return internal::InvalidArgument(
          "download_url",
          "download_url is not on the configured baseUrl's scheme, host and port (" +
              base_origin_.scheme + "://" + base_origin_.host +
              "): a signed request is sent to the API host only; nothing was sent");
    }
    return *std::move(url);
  }

  // Logs name the path only: the query holds the download token.
  std::string DownloadLabel(internal::ParsedUrl const& url) const {
    if (!pipeline_.logging()) return std::string();
    return "GET " + url.target.substr(0, url.target.find('?'));
  }

  // A download attempt's request, signed now, its 2xx body streamed to `sink`.
  StatusOr<HttpRequest> PrepareDownload(std::string const& url, internal::ParsedUrl const& target,
                                        HttpBodySink sink) const {
    auto const timestamp =
        std::chrono::duration_cast<std::chrono::seconds>(pipeline_.Now().time_since_epoch())
            .count();
    auto authorization =
        signer_.Authorization("GET", target.target, "", timestamp, internal::GenerateNonce());
    if (!authorization) return authorization.status();
    HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.headers.Add(std::string(headers::kAuthorization), *std::move(authorization));
    if (auto serial = keys_->SerialToSend(); !serial.empty()) {
      request.headers.Add(std::string(headers::kSerial), std::move(serial));
    }
    request.max_response_body_bytes = BillDownloadLimit();
    request.body_sink = std::move(sink);
    return request;
  }

  // What a download attempt's answer means; `delivered` counts the bytes the sink got so far.
  static Attempt<ResponseMetadata> FinishDownload(StatusOr<HttpResponse> sent,
                                                  std::uint64_t delivered) {
    if (!sent) {
      if (delivered > 0) {
        return {sent.status(), internal::FailureClass::kDeliveredInPart,
                std::chrono::milliseconds(0)};
      }
      return {sent.status()};
    }
    HttpResponse const& response = *sent;
    ResponseMetadata meta{
        response.status_code,
        internal::PrintableUntrusted(response.headers.Get(headers::kRequestId), 128)};
    if (response.status_code >= 200 && response.status_code < 300 && response.status_code != 202) {
      return {std::move(meta)};
    }
    // An error answer is buffered, never streamed: `delivered` is still what it was.
    std::optional<internal::FailureClass> failure;
    if (delivered > 0) failure = internal::FailureClass::kDeliveredInPart;
    return {internal::ServiceFailureStatus(response, meta), failure,
            internal::RetryAfterHint(response.headers.Get(headers::kRetryAfter))};
  }

  // Maps a verified answer with `parse`. One that cannot be mapped after a write leaves the
  // outcome unknown: WeChat has applied the request.
  template <typename ParseFn>
  static auto Map(ParseFn parse, VerifiedResponse const& response, Operation operation)
      -> decltype(parse(std::string_view())) {
    auto parsed = parse(response.response.body);
    if (!parsed) return internal::UnmappedAnswer(parsed.status(), response.meta, operation);
    parsed->meta = response.meta;
    return parsed;
  }

  // An abnormal refund's sensitive fields, encrypted for one key, with that key's serial. A
  // certificate download between the two fields can change the key: then both are encrypted
  // again (a download is throttled, so a second change at once is not expected; a third try
  // that still disagrees gives up without sending anything).
  StatusOr<std::pair<internal::AbnormalRefundCiphertexts, std::string>> EncryptBankFields(
      ApplyAbnormalRefundRequest const& request) const {
    for (int attempt = 0; attempt < 3; ++attempt) {
      internal::AbnormalRefundCiphertexts encrypted;
      std::string serial;
      bool same_key = true;
      for (auto [plaintext, out] : {std::pair{&request.bank_account, &encrypted.bank_account},
                                    std::pair{&request.real_name, &encrypted.real_name}}) {
        if (!plaintext->has_value()) continue;
        auto field = keys_->EncryptSensitive(**plaintext);
        if (!field) return field.status();
        if (!serial.empty() && field->serial != serial) same_key = false;
        serial = field->serial;
        *out = std::move(field->ciphertext);
      }
      if (same_key) return std::pair{std::move(encrypted), std::move(serial)};
    }
    return Status(StatusCode::kUnavailable,
                  "the WeChat Pay keys changed while bank_account and real_name were being "
                  "encrypted; nothing was sent, try again");
  }

  // `encrypted_for`: the Wechatpay-Serial to send when the body carries fields encrypted for
  // that key; empty: the keys' SerialToSend() at each attempt.
  StatusOr<VerifiedResponse> Execute(ApiCall const& call, CallOptions const& options,
                                     std::string const& encrypted_for = {}) const {
    std::string const label = Label(call);
    // Platform certificates on their schedule (the first call downloads them); a failure is
    // logged there and the call goes on with the keys held.
    (void)keys_->RefreshIfDue();
    return pipeline_.RunSteps<VerifiedResponse>(
        call.operation, options, label, headers::kRequestId,
        [&](AttemptBudget const&) { return PrepareRequest(call, encrypted_for); },
        [&](StatusOr<HttpResponse> sent) { return FinishAttempt(call, std::move(sent)); });
  }

  // Execute() on the transport's I/O thread: `done` runs there (pipeline RunAsync()). The
  // channel stays alive until then. A certificate refresh that is due still runs here, on the
  // calling thread, before the call is queued (the first call in certificate mode waits for the
  // download): the I/O thread never waits for one.
  void ExecuteAsync(ApiCall call, CallOptions const& options, std::string encrypted_for,
                    Completion<VerifiedResponse> done) const {
    std::string label = Label(call);
    (void)keys_->RefreshIfDue();
    auto const operation = call.operation;
    auto shared_call = std::make_shared<ApiCall const>(std::move(call));
    pipeline_.RunAsync<VerifiedResponse>(
        operation, options, std::move(label), headers::kRequestId,
        [this, shared_call, encrypted_for = std::move(encrypted_for)](AttemptBudget const&) {
          return PrepareRequest(*shared_call, encrypted_for);
        },
        [this, shared_call](StatusOr<HttpResponse> sent) {
          return FinishAttempt(*shared_call, std::move(sent));
        },
        std::move(done), shared_from_this());
  }

  // The label only appears in log lines. A generic request's query is the caller's, and may
  // carry what a log must not (a download token): its values are masked as in request events.
  // The typed calls' queries are ours.
  std::string Label(ApiCall const& call) const {
    if (!pipeline_.logging()) return std::string();
    bool const generic =
        call.operation == Operation::kApiRead || call.operation == Operation::kApiWrite;
    return call.method + " " +
           (generic ? internal::PathForEvent(base_path_ + call.target) : base_path_ + call.target);
  }

  // An attempt's request: signed now (each attempt gets its own timestamp and nonce). The
  // failure class of an error is kLocal: nothing was sent.
  StatusOr<HttpRequest> PrepareRequest(ApiCall const& call,
                                       std::string const& encrypted_for) const {
    std::string const canonical = base_path_ + call.target;
    auto const timestamp =
        std::chrono::duration_cast<std::chrono::seconds>(pipeline_.Now().time_since_epoch())
            .count();
    auto authorization = signer_.Authorization(call.method, canonical, call.body, timestamp,
                                               internal::GenerateNonce());
    if (!authorization) return authorization.status();
    HttpRequest request;
    request.method = call.method;
    request.url = base_url_ + call.target;
    request.body = call.body;
    request.headers.Add(std::string(headers::kAuthorization), *std::move(authorization));
    // Names the key WeChat should sign the answer with: the public key id when configured,
    // else the newest certificate (docs/protocol.md, "Choosing the key: Wechatpay-Serial");
    // for a body with encrypted fields, the key they were encrypted for.
    if (auto serial = encrypted_for.empty() ? keys_->SerialToSend() : encrypted_for;
        !serial.empty()) {
      request.headers.Add(std::string(headers::kSerial), std::move(serial));
    }
    return request;
  }

  // An attempt's answer: verified before it is trusted. The failure's class is read from its
  // Status by the pipeline (retry_table.hpp); nothing here decides a retry.
  Attempt<VerifiedResponse> FinishAttempt(ApiCall const& call, StatusOr<HttpResponse> sent) const {
    if (!sent) return {sent.status()};
    HttpResponse& response = *sent;
    // The Request-ID is quoted in errors and logs: printable and bounded like all network text.
    ResponseMetadata meta{
        response.status_code,
        internal::PrintableUntrusted(response.headers.Get(headers::kRequestId), 128)};
    if (response.status_code >= 200 && response.status_code < 300 && response.status_code != 202) {
      auto verified = verifier_.Verify(SignatureHeaders::From(response.headers), response.body,
                                       pipeline_.Now());
      if (!verified.ok()) {
        ErrorInfo info = verified.info();
        info.http_status = meta.http_status;
        info.request_id = meta.request_id;
        return {Status(StatusCode::kVerificationFailed,
                       "response to " + call.method + " " + base_path_ + call.target +
                           " failed verification and was not trusted: " + verified.message(),
                       std::move(info))};
      }
      return {VerifiedResponse{std::move(response), std::move(meta)}};
    }
    return ServiceFailure(response, meta);
  }

  static Attempt<VerifiedResponse> ServiceFailure(HttpResponse const& response,
                                                  ResponseMetadata const& meta) {
    return {internal::ServiceFailureStatus(response, meta), std::nullopt,
            internal::RetryAfterHint(response.headers.Get(headers::kRetryAfter))};
  }

  std::string app_id_;
  std::string merchant_id_;
  std::string notify_url_;
  std::string base_url_;
  std::string base_path_;
  internal::ParsedUrl base_origin_;  // base_url_ parsed: the only host a download goes to
  RequestSigner signer_;
  std::shared_ptr<PlatformKeys> keys_;
  SignatureVerifier verifier_;  // keys_->Verifier(): reads keys_'s current set at each call
  CallPipeline pipeline_;
};

}  // namespace

StatusOr<std::shared_ptr<NativePayChannel>> MakeDirectChannel(MerchantConfig const& config,
                                                              ClientOptions options) {
  auto status = CheckAppId(config.app_id);
  if (!status.ok()) return status;
  auto base_path = internal::CheckServiceUrl(config.base_url, "baseUrl");
  if (!base_path) return base_path.status();
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
  std::shared_ptr<PlatformKeys> keys = std::move(options.platform_keys);
  if (!keys) {
    auto made = PlatformKeys::Create(config, options);
    if (!made) return made.status();
    keys = *std::move(made);
  }
  // One transport for the calls and the certificate downloads.
  if (!options.transport) options.transport = PlatformKeysAccess::Transport(*keys);
  auto pipeline = CallPipeline::Create(config, std::move(options));
  if (!pipeline) return pipeline.status();
  return std::shared_ptr<NativePayChannel>(std::make_shared<DirectChannel>(
      config, std::move(keys), *std::move(base_path), *std::move(signer), *std::move(pipeline)));
}

}  // namespace wechatpay
