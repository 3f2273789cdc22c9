// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file channel.hpp
/// The channel: one virtual function per operation, below NativePayClient. The direct backend
/// signs, sends, verifies and maps API v3 JSON; the CloudBase backend goes through pay-common.
/// Implement or fake it to test application code without a network.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include "wechatpay/export.hpp"

#include "wechatpay/channel/cancellation.hpp"

#include "wechatpay/config.hpp"
#include "wechatpay/http/types.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// Options of one call, passed to each NativePayClient operation (and on to the channel). The
/// defaults leave the client's configuration (MerchantConfig::timeouts, ClientOptions::retry)
/// in charge.
struct WECHATPAY_EXPORT CallOptions {
  /// Bounds this call — every attempt, retry and backoff wait — to at most this long. It can
  /// only shorten the call: the bound used is the smaller of this and Timeouts::total (and of
  /// what `deadline` leaves). Zero: no bound of its own. Must not be negative.
  std::chrono::milliseconds timeout{0};
  /// The call ends by this instant, whatever the retries left. A deadline already passed fails
  /// the call with kDeadlineExceeded before anything is sent.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  /// Lets another thread cancel the call before it is sent or retried (CallCancellation says
  /// exactly what is cancelled). Null: the call cannot be cancelled.
  std::shared_ptr<CallCancellation> cancellation;
};

/// A request to any API v3 endpoint, for the APIs NativePayClient does not wrap
/// (NativePayClient::Request()): signed, sent through the same call pipeline as every typed
/// call, its answer verified.
struct WECHATPAY_EXPORT ApiRequest {
  /// GET, POST, PUT, PATCH or DELETE. GET is a read; every other method is a write: it is not
  /// repeated after a failure that may have reached WeChat, and such a failure is reported as an
  /// unknown outcome (ErrorInfo::outcome_unknown), exactly as for the typed writes.
  std::string method;
  /// The path below the base URL with its query, as it is to be sent and signed: "/v3/..."
  /// with every query value already percent-encoded.
  std::string path_and_query;
  /// The JSON body, or empty (always empty for GET and DELETE).
  std::string body;
};

/// The verified answer to an ApiRequest: any 2xx (204 included) whose signature checked out,
/// as received.
struct WECHATPAY_EXPORT ApiResponse {
  /// HTTP status and Request-ID.
  ResponseMetadata meta;
  /// Every header of the answer.
  HttpHeaders headers;
  /// The body, byte for byte (empty for a 204).
  std::string body;
};

/// What an asynchronous operation ends with: called exactly once with the operation's result.
template <typename T>
using Completion = std::function<void(StatusOr<T>)>;

/// The operations of a Native payment backend. Requests reaching a channel have passed
/// validation (NativePayClient validates first). Each operation receives the caller's
/// CallOptions; a channel honours the bound as far as it can (the built-in ones end the call,
/// retries included, within it: kDeadlineExceeded).
///
/// Every operation has a default body that returns StatusCode::kUnimplemented, so a channel
/// (a fake in tests) overrides only what it uses, and an operation added in a later version
/// does not break it.
///
/// @par Thread Safety
/// Implementations must be safe to call from many threads at once.
class WECHATPAY_EXPORT NativePayChannel {
 public:
  virtual ~NativePayChannel() = default;
  /// Creates a Native order and returns its code_url.
  virtual StatusOr<NativePrepayResponse> NativePrepay(NativePrepayRequest const& request,
                                                      CallOptions const& options);
  /// Queries an order by out_trade_no.
  virtual StatusOr<Transaction> QueryOrderByOutTradeNo(QueryOrderByOutTradeNoRequest const& request,
                                                       CallOptions const& options);
  /// Queries an order by transaction_id.
  virtual StatusOr<Transaction> QueryOrderById(QueryOrderByIdRequest const& request,
                                               CallOptions const& options);
  /// Closes an unpaid order.
  virtual StatusOr<CloseOrderResponse> CloseOrder(CloseOrderRequest const& request,
                                                  CallOptions const& options);
  /// Creates a refund.
  virtual StatusOr<Refund> CreateRefund(CreateRefundRequest const& request,
                                        CallOptions const& options);
  /// Queries a refund.
  virtual StatusOr<Refund> QueryRefund(QueryRefundRequest const& request,
                                       CallOptions const& options);
  /// Applies for a day's trade bill: the signed, verified answer with the file's download URL
  /// and digest. The default (and the CloudBase gateway channel) returns kUnimplemented: bills
  /// need the direct backend.
  virtual StatusOr<BillDownloadInfo> TradeBill(TradeBillRequest const& request,
                                               CallOptions const& options);
  /// Applies for a day's fund-flow bill, like TradeBill().
  virtual StatusOr<BillDownloadInfo> FundFlowBill(FundFlowBillRequest const& request,
                                                  CallOptions const& options);
  /// Downloads the file `info` names with a signed GET and hands its bytes, as received (still
  /// compressed for a gzip bill), to `sink` as they arrive; returns the file answer's metadata.
  /// The file answer is the one WeChat answer without a signature: nothing here vouches for
  /// the bytes, the caller must check them against info's digest (NativePayClient::
  /// DownloadBill() does). A failure after some bytes reached `sink` is not retried.
  virtual StatusOr<ResponseMetadata> DownloadBill(BillDownloadInfo const& info,
                                                  HttpBodySink const& sink,
                                                  CallOptions const& options);
  /// Sends a request to any API v3 endpoint (validated by NativePayClient::Request()) and
  /// returns its verified answer. An error answer is an error Status, as for every operation.
  /// The default (and the CloudBase gateway channel) returns kUnimplemented: pay-common has no
  /// generic route.
  virtual StatusOr<ApiResponse> Request(ApiRequest const& request, CallOptions const& options);
  /// Applies for the payout of a refund that ended ABNORMAL; the answer is the refund
  /// (PROCESSING). A channel that sends bank_account / real_name must encrypt them for WeChat
  /// and name the key in Wechatpay-Serial.
  virtual StatusOr<Refund> ApplyAbnormalRefund(ApplyAbnormalRefundRequest const& request,
                                               CallOptions const& options);

  /// @name Asynchronous operations
  /// The same operations, returning at once; `done` receives what the blocking operation would
  /// have returned. The direct backend runs them on its transport's I/O thread (one thread per
  /// client, many requests at once, the waits between retries on timers): `done` then runs on
  /// that thread, never inside the call, and must not block. The defaults here — used by the
  /// CloudBase gateway channel and by channels that override only the blocking operations —
  /// run the blocking operation on the calling thread and call `done` there before returning.
  /// @{

  /// NativePrepay(), asynchronously.
  virtual void NativePrepayAsync(NativePrepayRequest const& request, CallOptions const& options,
                                 Completion<NativePrepayResponse> done);
  /// QueryOrderByOutTradeNo(), asynchronously.
  virtual void QueryOrderByOutTradeNoAsync(QueryOrderByOutTradeNoRequest const& request,
                                           CallOptions const& options,
                                           Completion<Transaction> done);
  /// QueryOrderById(), asynchronously.
  virtual void QueryOrderByIdAsync(QueryOrderByIdRequest const& request, CallOptions const& options,
                                   Completion<Transaction> done);
  /// CloseOrder(), asynchronously.
  virtual void CloseOrderAsync(CloseOrderRequest const& request, CallOptions const& options,
                               Completion<CloseOrderResponse> done);
  /// CreateRefund(), asynchronously.
  virtual void CreateRefundAsync(CreateRefundRequest const& request, CallOptions const& options,
                                 Completion<Refund> done);
  /// QueryRefund(), asynchronously.
  virtual void QueryRefundAsync(QueryRefundRequest const& request, CallOptions const& options,
                                Completion<Refund> done);
  /// ApplyAbnormalRefund(), asynchronously.
  virtual void ApplyAbnormalRefundAsync(ApplyAbnormalRefundRequest const& request,
                                        CallOptions const& options, Completion<Refund> done);
  /// TradeBill(), asynchronously.
  virtual void TradeBillAsync(TradeBillRequest const& request, CallOptions const& options,
                              Completion<BillDownloadInfo> done);
  /// FundFlowBill(), asynchronously.
  virtual void FundFlowBillAsync(FundFlowBillRequest const& request, CallOptions const& options,
                                 Completion<BillDownloadInfo> done);
  /// Request(), asynchronously.
  virtual void RequestAsync(ApiRequest const& request, CallOptions const& options,
                            Completion<ApiResponse> done);
  /// DownloadBill(), asynchronously: `sink` is kept until `done` has run and receives the bytes
  /// where the transfer runs (the direct channel: its I/O thread).
  virtual void DownloadBillAsync(BillDownloadInfo const& info, HttpBodySink sink,
                                 CallOptions const& options, Completion<ResponseMetadata> done);
  /// @}
};

/// The direct API v3 backend for `config` (its `gateway` is ignored). Parses and checks every
/// credential now, so problems surface at creation, not on first use.
/// Errors: kConfiguration naming the setting and the rule.
WECHATPAY_EXPORT StatusOr<std::shared_ptr<NativePayChannel>> MakeDirectChannel(
    MerchantConfig const& config, ClientOptions options = {});

}  // namespace wechatpay
