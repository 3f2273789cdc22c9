// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/testing/fake_channel.hpp"

namespace wechatpay::testing {

// The overrides of NativePayChannel, all here: when the interface changes (a parameter added
// to every operation), this is the one place of the fake to follow it.

StatusOr<NativePrepayResponse> FakeNativePayChannel::NativePrepay(
    NativePrepayRequest const& request, CallOptions const& /*options*/) {
  return native_prepay_.Answer(request);
}

StatusOr<Transaction> FakeNativePayChannel::QueryOrderByOutTradeNo(
    QueryOrderByOutTradeNoRequest const& request, CallOptions const& /*options*/) {
  return query_by_out_trade_no_.Answer(request);
}

StatusOr<Transaction> FakeNativePayChannel::QueryOrderById(QueryOrderByIdRequest const& request,
                                                           CallOptions const& /*options*/) {
  return query_by_id_.Answer(request);
}

StatusOr<CloseOrderResponse> FakeNativePayChannel::CloseOrder(CloseOrderRequest const& request,
                                                              CallOptions const& /*options*/) {
  return close_.Answer(request);
}

StatusOr<Refund> FakeNativePayChannel::CreateRefund(CreateRefundRequest const& request,
                                                    CallOptions const& /*options*/) {
  return create_refund_.Answer(request);
}

StatusOr<Refund> FakeNativePayChannel::QueryRefund(QueryRefundRequest const& request,
                                                   CallOptions const& /*options*/) {
  return query_refund_.Answer(request);
}

}  // namespace wechatpay::testing
