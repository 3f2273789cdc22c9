// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file channel.hpp
/// The channel: one virtual function per operation, below NativePayClient. The direct backend
/// signs, sends, verifies and maps API v3 JSON; the CloudBase backend goes through pay-common.
/// Implement or fake it to test application code without a network.

#include <memory>
#include "wechatpay/export.hpp"

#include "wechatpay/config.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// The operations of a Native payment backend. Requests reaching a channel have passed
/// validation (NativePayClient validates first).
///
/// @par Thread Safety
/// Implementations must be safe to call from many threads at once.
class WECHATPAY_EXPORT NativePayChannel {
 public:
  virtual ~NativePayChannel() = default;
  /// Creates a Native order and returns its code_url.
  virtual StatusOr<NativePrepayResponse> NativePrepay(NativePrepayRequest const& request) = 0;
  /// Queries an order by out_trade_no.
  virtual StatusOr<Transaction> QueryOrderByOutTradeNo(
      QueryOrderByOutTradeNoRequest const& request) = 0;
  /// Queries an order by transaction_id.
  virtual StatusOr<Transaction> QueryOrderById(QueryOrderByIdRequest const& request) = 0;
  /// Closes an unpaid order.
  virtual StatusOr<CloseOrderResponse> CloseOrder(CloseOrderRequest const& request) = 0;
  /// Creates a refund.
  virtual StatusOr<Refund> CreateRefund(CreateRefundRequest const& request) = 0;
  /// Queries a refund.
  virtual StatusOr<Refund> QueryRefund(QueryRefundRequest const& request) = 0;
};

/// The direct API v3 backend for `config` (its `gateway` is ignored). Parses and checks every
/// credential now, so problems surface at creation, not on first use.
/// Errors: kConfiguration naming the setting and the rule.
WECHATPAY_EXPORT StatusOr<std::shared_ptr<NativePayChannel>> MakeDirectChannel(
    MerchantConfig const& config, ClientOptions options = {});

}  // namespace wechatpay
