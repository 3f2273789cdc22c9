// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file channel.hpp
/// The channel: one virtual function per operation, below NativePayClient. The direct backend
/// signs, sends, verifies and maps API v3 JSON; the CloudBase backend goes through pay-common.
/// Implement or fake it to test application code without a network.

#include <chrono>
#include <memory>
#include <optional>
#include "wechatpay/export.hpp"

#include "wechatpay/config.hpp"
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
};

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
  /// Applies for the payout of a refund that ended ABNORMAL; the answer is the refund
  /// (PROCESSING). A channel that sends bank_account / real_name must encrypt them for WeChat
  /// and name the key in Wechatpay-Serial.
  virtual StatusOr<Refund> ApplyAbnormalRefund(ApplyAbnormalRefundRequest const& request,
                                               CallOptions const& options);
};

/// The direct API v3 backend for `config` (its `gateway` is ignored). Parses and checks every
/// credential now, so problems surface at creation, not on first use.
/// Errors: kConfiguration naming the setting and the rule.
WECHATPAY_EXPORT StatusOr<std::shared_ptr<NativePayChannel>> MakeDirectChannel(
    MerchantConfig const& config, ClientOptions options = {});

}  // namespace wechatpay
