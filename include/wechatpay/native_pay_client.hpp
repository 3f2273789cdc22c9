// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file native_pay_client.hpp
/// NativePayClient: the application API for WeChat Pay Native payments.

#include <memory>
#include <string>
#include "wechatpay/export.hpp"

#include "wechatpay/channel/channel.hpp"
#include "wechatpay/channel/platform_keys.hpp"
#include "wechatpay/config.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/notify/parser.hpp"
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
};

}  // namespace wechatpay
