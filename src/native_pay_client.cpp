// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/native_pay_client.hpp"

#include "wechatpay/gateway.hpp"
#include "wechatpay/validation.hpp"

namespace wechatpay {
namespace {

// Every operation validates before it reaches the channel, so no backend ever sends a request
// that breaks a documented rule.
template <typename Request, typename Call>
auto ValidateThen(Request const& request, Call&& call) -> decltype(call(request)) {
  auto status = Validate(request);
  if (!status.ok()) return status;
  return call(request);
}

}  // namespace

StatusOr<NativePayClient> NativePayClient::Create(MerchantConfig const& config,
                                                  ClientOptions options) {
  // A `gateway` object (or the WECHATPAY_GATEWAY_* variables) selects the CloudBase backend;
  // the operations and result types are the same, so switching is a configuration change.
  auto channel = config.gateway ? MakeGatewayChannel(config, std::move(options))
                                : MakeDirectChannel(config, std::move(options));
  if (!channel) return channel.status();
  return NativePayClient(*std::move(channel));
}

StatusOr<NativePrepayResponse> NativePayClient::NativePrepay(
    NativePrepayRequest const& request) const {
  return ValidateThen(request, [this](auto const& r) { return channel_->NativePrepay(r); });
}

StatusOr<Transaction> NativePayClient::QueryOrderByOutTradeNo(
    std::string const& out_trade_no) const {
  return ValidateThen(QueryOrderByOutTradeNoRequest{out_trade_no},
                      [this](auto const& r) { return channel_->QueryOrderByOutTradeNo(r); });
}

StatusOr<Transaction> NativePayClient::QueryOrderById(std::string const& transaction_id) const {
  return ValidateThen(QueryOrderByIdRequest{transaction_id},
                      [this](auto const& r) { return channel_->QueryOrderById(r); });
}

StatusOr<CloseOrderResponse> NativePayClient::CloseOrder(std::string const& out_trade_no) const {
  return ValidateThen(CloseOrderRequest{out_trade_no},
                      [this](auto const& r) { return channel_->CloseOrder(r); });
}

StatusOr<Refund> NativePayClient::CreateRefund(CreateRefundRequest const& request) const {
  return ValidateThen(request, [this](auto const& r) { return channel_->CreateRefund(r); });
}

StatusOr<Refund> NativePayClient::QueryRefund(std::string const& out_refund_no) const {
  return ValidateThen(QueryRefundRequest{out_refund_no},
                      [this](auto const& r) { return channel_->QueryRefund(r); });
}

}  // namespace wechatpay
