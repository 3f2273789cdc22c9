// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file native_pay_client.hpp
/// NativePayClient: the application API for WeChat Pay Native payments.

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include "wechatpay/export.hpp"

#include "wechatpay/channel/channel.hpp"
#include "wechatpay/channel/platform_keys.hpp"
#include "wechatpay/config.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/notify/parser.hpp"
#include "wechatpay/protocol/bill_digest.hpp"
#include "wechatpay/protocol/validation.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// Creates Native orders (QR code_url), queries and closes them, refunds and queries refunds.
///
/// Every request is validated before anything is sent (kInvalidArgument naming the field and
/// the rule). With the direct backend every request is signed and every answer verified
/// before it is trusted. A timed-out POST reports kDeadlineExceeded with
/// ErrorInfo::outcome_unknown: query before retrying, with the same out_trade_no.
///
/// @par Thread Safety
/// Safe to use from many threads at once; copies share the same channel, keys and connection
/// pool.
///
/// @par Performance
/// Keys are parsed once, at Create(). A call costs one RSA-2048 signature, one verification and
/// the JSON mapping; connections are kept alive and reused. Copying is cheap (one shared_ptr).
class WECHATPAY_EXPORT NativePayClient {
 public:
  /// Wraps an existing channel (a custom backend, or a fake in tests); requests are validated
  /// with `validation` (Create() takes it from MerchantConfig::allow_http_notify_url).
  explicit NativePayClient(std::shared_ptr<NativePayChannel> channel,
                           ValidationOptions validation = {})
      : channel_(std::move(channel)), validation_(validation) {}

  /// Builds the backend `config` asks for: the direct API v3 backend, or the CloudBase
  /// pay-common backend when `config.gateway` is set. Every credential is read, parsed and
  /// checked now. Errors: kConfiguration naming the setting and the rule; kUnauthenticated
  /// when the gateway backend has no access token.
  static StatusOr<NativePayClient> Create(MerchantConfig const& config, ClientOptions options = {});

  // Every operation takes an optional CallOptions as its last argument: a timeout or deadline
  // for this one call, below the client's configured Timeouts (the default leaves those).

  /// Creates a Native order and returns the code_url to show as a QR code.
  StatusOr<NativePrepayResponse> NativePrepay(NativePrepayRequest const& request,
                                              CallOptions const& options = {}) const;

  /// Queries an order by out_trade_no.
  StatusOr<Transaction> QueryOrderByOutTradeNo(std::string const& out_trade_no,
                                               CallOptions const& options = {}) const;
  /// Queries an order by transaction_id.
  StatusOr<Transaction> QueryOrderById(std::string const& transaction_id,
                                       CallOptions const& options = {}) const;
  /// Closes an unpaid order (reentrant: closing a closed order succeeds; a paid one fails).
  StatusOr<CloseOrderResponse> CloseOrder(std::string const& out_trade_no,
                                          CallOptions const& options = {}) const;
  /// Creates a refund; resending the same out_refund_no refunds once.
  StatusOr<Refund> CreateRefund(CreateRefundRequest const& request,
                                CallOptions const& options = {}) const;
  /// Queries a refund by out_refund_no.
  StatusOr<Refund> QueryRefund(std::string const& out_refund_no,
                               CallOptions const& options = {}) const;
  /// Applies for the payout of a refund that ended ABNORMAL, to the payer's bank card
  /// (USER_BANK_CARD) or the merchant's bank account (MERCHANT_BANK_CARD). Validates first
  /// (Validate(ApplyAbnormalRefundRequest const&)); the direct channel encrypts bank_account and
  /// real_name with the WeChat Pay key it names in Wechatpay-Serial. The answer is the refund,
  /// PROCESSING; the result arrives as REFUND.SUCCESS / REFUND.ABNORMAL or by QueryRefund().
  /// Errors: kInvalidArgument (validation), kUnimplemented (the CloudBase gateway), the
  /// service's (e.g. INVALID_REQUEST for a refund that is not ABNORMAL); a failure that may
  /// have reached WeChat has ErrorInfo::outcome_unknown set.
  StatusOr<Refund> ApplyAbnormalRefund(ApplyAbnormalRefundRequest const& request,
                                       CallOptions const& options = {}) const;

  /// Applies for a day's trade bill (GET /v3/bill/tradebill): the signed, verified answer with
  /// the file's download URL and digest; download it at once with DownloadBill() (the URL
  /// expires within seconds). bill_date is checked against today's Beijing date by the
  /// client's clock (ClientOptions::calendar_clock, else ClientOptions::clock). Errors:
  /// kInvalidArgument naming the field and the rule (nothing sent); kUnavailable with service_code
  /// STATEMENT_CREATING when the bill is not generated yet (try after 10:00 Beijing time the next
  /// day); kServiceError with NO_STATEMENT_EXIST when there is no bill for that day; kUnimplemented
  /// through the CloudBase gateway (bills need the direct backend); the usual call errors.
  StatusOr<BillDownloadInfo> TradeBill(TradeBillRequest const& request,
                                       CallOptions const& options = {}) const;
  /// Applies for a day's fund-flow bill (GET /v3/bill/fundflowbill), like TradeBill().
  StatusOr<BillDownloadInfo> FundFlowBill(FundFlowBillRequest const& request,
                                          CallOptions const& options = {}) const;

  /// Downloads the bill `info` describes (a signed GET of its download_url, which must be on
  /// the configured baseUrl's host: a signature is never sent elsewhere), decompresses it when
  /// info.gzip and hands the bill's bytes to `sink` as they arrive, hashing them on the way
  /// (BillDigestCheck): the whole file is never in memory. The file answer carries no
  /// signature; OK means its SHA-1 matched info.hash_value, and until then nothing `sink`
  /// received may be trusted. Errors: kInvalidArgument (info incomplete, download_url on
  /// another host; nothing sent); kVerificationFailed when the digest differs;
  /// kMalformedResponse for a corrupt or truncated gzip stream; kServiceError INVALID_REQUEST
  /// when the URL expired (apply for the bill again); `sink`'s own errors; the usual call
  /// errors. Not repeated once bytes reached `sink`.
  StatusOr<BillDownloadResult> DownloadBill(BillDownloadInfo const& info,
                                            BillDigestCheck::Sink sink,
                                            CallOptions const& options = {}) const;

  /// DownloadBill() into the file `path`: written to a new temporary file in the same folder
  /// and renamed to `path` (replacing a file there) only after the digest matched; on any
  /// failure the temporary file is removed and `path` is untouched. Errors: those of
  /// DownloadBill(); kInvalidArgument (field "path") when the temporary file cannot be
  /// created; kInternal when writing or renaming fails.
  StatusOr<BillDownloadResult> DownloadBillToFile(BillDownloadInfo const& info,
                                                  std::string const& path,
                                                  CallOptions const& options = {}) const;

  /// Calls any API v3 endpoint this client does not wrap — the escape hatch for the rest of
  /// WeChat Pay's API: `request` is signed like every call, sent through the same pipeline
  /// (timeouts, retries, the outcome-unknown rule: GET is a read, any other method a write) and
  /// its answer verified, then returned as received. Checked before anything is sent: the
  /// method (GET, POST, PUT, PATCH, DELETE), the path (starts with "/v3/", printable ASCII
  /// without spaces, '#' or ".." segments, at most 2048 bytes) and the body (empty for GET and
  /// DELETE; otherwise empty or one JSON object or array, at most 1 MiB). Sensitive fields
  /// inside the body are the caller's to encrypt (PlatformKeys::EncryptSensitive(), with its
  /// serial in no header here: use the typed calls for such APIs where they exist). Errors:
  /// kInvalidArgument naming the field ("method", "path", "body"); kUnimplemented through the
  /// CloudBase gateway; an error answer as the usual kServiceError; the usual call errors.
  StatusOr<ApiResponse> Request(ApiRequest const& request, CallOptions const& options = {}) const;

  /// @name Asynchronous calls
  /// Each operation above also returns at once, in two forms: a
  /// std::future of the result, or a completion `done` called with it (the way to continue
  /// without a waiting thread). The request is validated first, exactly as in the blocking
  /// call; then the direct backend runs the call on the client's I/O thread — one thread per
  /// client, many requests in flight on one libcurl multi handle (at most
  /// CurlTransportOptions::max_concurrent_transfers on the wire, the rest queued), the waits
  /// between retries on timers — with the same signing, verification, retries, deadlines and
  /// outcome-unknown rule as the blocking call (one implementation under both). `done` runs on
  /// that I/O thread, exactly once, and must not block it (hand long work to your own
  /// executor). It runs on the calling thread, before the call returns, when the request is
  /// refused by validation (nothing sent), and when the channel has no asynchronous side (the
  /// CloudBase gateway, a channel of your own, a client built on your own HttpTransport): the
  /// call is then the blocking one. CallOptions::cancellation cancels a call still queued or
  /// waiting for a retry. The client may be destroyed while calls are in flight: they keep
  /// what they need and complete.
  /// @{

  /// NativePrepay(), asynchronously.
  std::future<StatusOr<NativePrepayResponse>> NativePrepayAsync(
      NativePrepayRequest const& request, CallOptions const& options = {}) const;
  /// NativePrepay(), asynchronously, with a completion.
  void NativePrepayAsync(NativePrepayRequest const& request, CallOptions const& options,
                         Completion<NativePrepayResponse> done) const;
  /// QueryOrderByOutTradeNo(), asynchronously.
  std::future<StatusOr<Transaction>> QueryOrderByOutTradeNoAsync(
      std::string const& out_trade_no, CallOptions const& options = {}) const;
  /// QueryOrderByOutTradeNo(), asynchronously, with a completion.
  void QueryOrderByOutTradeNoAsync(std::string const& out_trade_no, CallOptions const& options,
                                   Completion<Transaction> done) const;
  /// QueryOrderById(), asynchronously.
  std::future<StatusOr<Transaction>> QueryOrderByIdAsync(std::string const& transaction_id,
                                                         CallOptions const& options = {}) const;
  /// QueryOrderById(), asynchronously, with a completion.
  void QueryOrderByIdAsync(std::string const& transaction_id, CallOptions const& options,
                           Completion<Transaction> done) const;
  /// CloseOrder(), asynchronously.
  std::future<StatusOr<CloseOrderResponse>> CloseOrderAsync(std::string const& out_trade_no,
                                                            CallOptions const& options = {}) const;
  /// CloseOrder(), asynchronously, with a completion.
  void CloseOrderAsync(std::string const& out_trade_no, CallOptions const& options,
                       Completion<CloseOrderResponse> done) const;
  /// CreateRefund(), asynchronously.
  std::future<StatusOr<Refund>> CreateRefundAsync(CreateRefundRequest const& request,
                                                  CallOptions const& options = {}) const;
  /// CreateRefund(), asynchronously, with a completion.
  void CreateRefundAsync(CreateRefundRequest const& request, CallOptions const& options,
                         Completion<Refund> done) const;
  /// QueryRefund(), asynchronously.
  std::future<StatusOr<Refund>> QueryRefundAsync(std::string const& out_refund_no,
                                                 CallOptions const& options = {}) const;
  /// QueryRefund(), asynchronously, with a completion.
  void QueryRefundAsync(std::string const& out_refund_no, CallOptions const& options,
                        Completion<Refund> done) const;
  /// ApplyAbnormalRefund(), asynchronously.
  std::future<StatusOr<Refund>> ApplyAbnormalRefundAsync(ApplyAbnormalRefundRequest const& request,
                                                         CallOptions const& options = {}) const;
  /// ApplyAbnormalRefund(), asynchronously, with a completion.
  void ApplyAbnormalRefundAsync(ApplyAbnormalRefundRequest const& request,
                                CallOptions const& options, Completion<Refund> done) const;
  /// TradeBill(), asynchronously.
  std::future<StatusOr<BillDownloadInfo>> TradeBillAsync(TradeBillRequest const& request,
                                                         CallOptions const& options = {}) const;
  /// TradeBill(), asynchronously, with a completion.
  void TradeBillAsync(TradeBillRequest const& request, CallOptions const& options,
                      Completion<BillDownloadInfo> done) const;
  /// FundFlowBill(), asynchronously.
  std::future<StatusOr<BillDownloadInfo>> FundFlowBillAsync(FundFlowBillRequest const& request,
                                                            CallOptions const& options = {}) const;
  /// FundFlowBill(), asynchronously, with a completion.
  void FundFlowBillAsync(FundFlowBillRequest const& request, CallOptions const& options,
                         Completion<BillDownloadInfo> done) const;
  /// Request(), asynchronously.
  std::future<StatusOr<ApiResponse>> RequestAsync(ApiRequest const& request,
                                                  CallOptions const& options = {}) const;
  /// Request(), asynchronously, with a completion.
  void RequestAsync(ApiRequest const& request, CallOptions const& options,
                    Completion<ApiResponse> done) const;
  /// DownloadBill(), asynchronously: `sink` gets the bill's bytes on the client's I/O thread,
  /// where it must not block for long (writing to a local file is fine), and is kept until
  /// the result is delivered.
  std::future<StatusOr<BillDownloadResult>> DownloadBillAsync(
      BillDownloadInfo const& info, BillDigestCheck::Sink sink,
      CallOptions const& options = {}) const;
  /// DownloadBill(), asynchronously, with a completion.
  void DownloadBillAsync(BillDownloadInfo const& info, BillDigestCheck::Sink sink,
                         CallOptions const& options, Completion<BillDownloadResult> done) const;
  /// DownloadBillToFile(), asynchronously: the temporary file is created on the calling
  /// thread (its errors complete at once), written on the I/O thread and renamed there.
  std::future<StatusOr<BillDownloadResult>> DownloadBillToFileAsync(
      BillDownloadInfo const& info, std::string const& path, CallOptions const& options = {}) const;
  /// DownloadBillToFile(), asynchronously, with a completion.
  void DownloadBillToFileAsync(BillDownloadInfo const& info, std::string const& path,
                               CallOptions const& options,
                               Completion<BillDownloadResult> done) const;
  /// @}

  /// A notification parser verifying with this client's keys (PlatformKeys): in the
  /// platform-certificate and both modes callbacks see the certificates the client downloaded,
  /// and a callback naming an unknown serial triggers the same throttled download. Decrypts
  /// with apiV3Key. Errors: kConfiguration when the client has no such keys (a gateway client,
  /// a client wrapping a channel: use MakeNotificationParser(config)) or no apiV3Key; those of
  /// NotificationParser::Create().
  StatusOr<NotificationParser> MakeNotificationParser(NotificationParserOptions options = {}) const;

  /// The verification keys of a direct client (null for the other channels).
  std::shared_ptr<PlatformKeys> const& platform_keys() const noexcept { return platform_keys_; }

  /// The channel underneath.
  std::shared_ptr<NativePayChannel> const& channel() const noexcept { return channel_; }

  /// The options every request is validated with.
  ValidationOptions const& validation() const noexcept { return validation_; }

 private:
  std::shared_ptr<NativePayChannel> channel_;
  ValidationOptions validation_;
  std::shared_ptr<PlatformKeys> platform_keys_;  // set by Create() for the direct channel
  // "Today" for the bill_date rule: ClientOptions::calendar_clock, else ClientOptions::clock,
  // when Create() got one.
  std::function<std::chrono::system_clock::time_point()> clock_;

  std::chrono::system_clock::time_point Now() const;
};

}  // namespace wechatpay
