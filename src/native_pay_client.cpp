// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/native_pay_client.hpp"

#include "common/config_error.hpp"
#include "wechatpay/channel/gateway.hpp"
#include "wechatpay/protocol/validation.hpp"

namespace wechatpay {
namespace {

// Every operation validates before it reaches the channel, so no backend ever sends a request
// that breaks a documented rule. `status` is the request's validation result.
template <typename Request, typename Call>
auto ValidateThen(Status status, Request const& request, Call&& call) -> decltype(call(request)) {
  if (!status.ok()) return status;
  return call(request);
}

}  // namespace

StatusOr<NativePayClient> NativePayClient::Create(MerchantConfig const& config,
                                                  ClientOptions options) {
  // A `gateway` object (or the WECHATPAY_GATEWAY_* variables) selects the CloudBase backend;
  // the operations and result types are the same, so switching is a configuration change.
  // "Today" for the bill_date rule: the calendar clock when given, else the client's clock.
  auto clock = options.calendar_clock ? options.calendar_clock : options.clock;
  if (config.gateway) {
    auto channel = MakeGatewayChannel(config, std::move(options));
    if (!channel) return channel.status();
    ValidationOptions validation;
    validation.allow_http_notify_url = config.allow_http_notify_url;
    NativePayClient client(*std::move(channel), validation);
    client.clock_ = std::move(clock);
    return client;
  }
  // The direct channel: keep its keys, so that the client's notification parser shares them.
  std::shared_ptr<PlatformKeys> keys = options.platform_keys;
  if (!keys) {
    auto made = PlatformKeys::Create(config, options);
    if (!made) {
      // MakeDirectChannel() checks appId, notifyUrl and the rest in the documented order:
      // report the first problem it names, the same whoever builds the keys.
      auto channel = MakeDirectChannel(config, std::move(options));
      return channel ? made.status() : channel.status();
    }
    keys = *std::move(made);
    options.platform_keys = keys;
  }
  auto channel = MakeDirectChannel(config, std::move(options));
  if (!channel) return channel.status();
  ValidationOptions validation;
  validation.allow_http_notify_url = config.allow_http_notify_url;
  NativePayClient client(*std::move(channel), validation);
  client.platform_keys_ = std::move(keys);
  client.clock_ = std::move(clock);
  return client;
}

StatusOr<NotificationParser> NativePayClient::MakeNotificationParser(
    NotificationParserOptions options) const {
  if (!platform_keys_) {
    return internal::ConfigError("channel",
                                 "this client has no verification keys of its own (not a direct "
                                 "client built by Create()): use MakeNotificationParser(config)");
  }
  auto const* cipher = platform_keys_->cipher();
  if (cipher == nullptr) {
    return internal::ConfigError("apiV3Key",
                                 "apiV3Key is required to decrypt notifications (configuration key "
                                 "apiV3Key or environment variable WECHATPAY_API_V3_KEY)");
  }
  return NotificationParser::Create(platform_keys_->Verifier(), *cipher, std::move(options));
}

StatusOr<NativePrepayResponse> NativePayClient::NativePrepay(NativePrepayRequest const& request,
                                                             CallOptions const& options) const {
  return ValidateThen(Validate(request, validation_), request,
                      [&](auto const& r) { return channel_->NativePrepay(r, options); });
}

StatusOr<Transaction> NativePayClient::QueryOrderByOutTradeNo(std::string const& out_trade_no,
                                                              CallOptions const& options) const {
  QueryOrderByOutTradeNoRequest const request{out_trade_no};
  return ValidateThen(Validate(request), request,
                      [&](auto const& r) { return channel_->QueryOrderByOutTradeNo(r, options); });
}

StatusOr<Transaction> NativePayClient::QueryOrderById(std::string const& transaction_id,
                                                      CallOptions const& options) const {
  QueryOrderByIdRequest const request{transaction_id};
  return ValidateThen(Validate(request), request,
                      [&](auto const& r) { return channel_->QueryOrderById(r, options); });
}

StatusOr<CloseOrderResponse> NativePayClient::CloseOrder(std::string const& out_trade_no,
                                                         CallOptions const& options) const {
  CloseOrderRequest const request{out_trade_no};
  return ValidateThen(Validate(request), request,
                      [&](auto const& r) { return channel_->CloseOrder(r, options); });
}

StatusOr<Refund> NativePayClient::CreateRefund(CreateRefundRequest const& request,
                                               CallOptions const& options) const {
  return ValidateThen(Validate(request, validation_), request,
                      [&](auto const& r) { return channel_->CreateRefund(r, options); });
}

StatusOr<Refund> NativePayClient::QueryRefund(std::string const& out_refund_no,
                                              CallOptions const& options) const {
  QueryRefundRequest const request{out_refund_no};
  return ValidateThen(Validate(request), request,
                      [&](auto const& r) { return channel_->QueryRefund(r, options); });
}

StatusOr<Refund> NativePayClient::ApplyAbnormalRefund(ApplyAbnormalRefundRequest const& request,
                                                      CallOptions const& options) const {
  return ValidateThen(Validate(request), request,
                      [&](auto const& r) { return channel_->ApplyAbnormalRefund(r, options); });
}

}  // namespace wechatpay
