// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file gateway.hpp
/// The CloudBase pay-common backend: the same NativePayChannel operations, sent through the
/// CloudBase HTTP API gateway to the pay-common cloud function with a Bearer access token
/// (docs/protocol.md, "pay-common (CloudBase)"). docs/gateway.md explains the mode and its trust
/// model.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include "wechatpay/export.hpp"

#include "wechatpay/channel/channel.hpp"
#include "wechatpay/config.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// The gateway host of an environment is `{envId}` followed by this suffix (mainland China;
/// other regions, e.g. `.api.intl.tcloudbasegateway.com`, are reached with GatewayConfig::url).
inline constexpr std::string_view kGatewayHostSuffix = ".api.tcloudbasegateway.com";

/// Supplies the CloudBase access token sent as `Authorization: Bearer …`.
///
/// The gateway refuses anonymous tokens for pay-common and expires every token after two hours.
/// When it answers 401, the channel calls Token(true) once (if CanRefresh()) and resends the
/// request once with the new token; a second refusal is StatusCode::kUnauthenticated.
///
/// @par Thread Safety
/// Implementations must be safe to call from many threads at once: one provider serves every
/// call of a channel.
class WECHATPAY_EXPORT AccessTokenProvider {
 public:
  virtual ~AccessTokenProvider() = default;

  /// The token to send. `force_refresh` is true after the gateway refused the current token:
  /// return a fresh one (sign in again, use a refresh token, ...), not a cached copy.
  /// Errors: whatever the provider reports is returned to the caller of the operation
  /// (kUnauthenticated when no authenticated login is available). An empty token is treated
  /// as "no token" (kUnauthenticated). Never put the token into a Status message.
  virtual StatusOr<std::string> Token(bool force_refresh) = 0;

  /// False when Token(true) cannot produce anything new (a fixed token): then a refused token
  /// is reported at once instead of being refreshed. Defaults to true.
  virtual bool CanRefresh() const { return true; }
};

/// A provider that always returns `token` and cannot refresh it. The token is wiped from
/// memory when the provider is destroyed.
///
/// @par Thread Safety
/// Immutable; safe to share.
WECHATPAY_EXPORT std::shared_ptr<AccessTokenProvider> MakeFixedTokenProvider(std::string token);

/// A provider that calls `fetch` for the first token and again each time a refresh is forced,
/// and caches the result in between (the cached token is wiped when replaced or destroyed).
/// A failed fetch is not cached: the next call tries again.
///
/// @par Thread Safety
/// Safe to call from many threads. Fetches are serialised under a mutex, so `fetch` runs on
/// one thread at a time and must not call back into this provider; after a mass expiry each
/// call that was refused forces its own fetch (at most one per call).
WECHATPAY_EXPORT std::shared_ptr<AccessTokenProvider> MakeCallbackTokenProvider(
    std::function<StatusOr<std::string>()> fetch);

/// The CloudBase pay-common backend for `config.gateway` (the merchant credentials of
/// `config` are not used: pay-common holds them and injects appid, mchid and notify_url).
///
/// Each operation is one `POST {url}/v1/functions/{functionName}?webfn=true`, where `{url}` is
/// GatewayConfig::url or `https://{envId}.api.tcloudbasegateway.com`, with a JSON body whose
/// `_action` names the pay-common route (wxpay_order_native, wxpay_query_order_by_out_trade_no,
/// wxpay_query_order_by_transaction_id, wxpay_close_order, wxpay_refund, wxpay_refund_query).
/// The body never carries appid, mchid, notify_url or payer, except a per-request
/// NativePrepayRequest::appid / notify_url or CreateRefundRequest::notify_url set explicitly
/// (pay-common honours them); `useServiceAccount: true` is sent when
/// NativePrepayRequest::use_service_account is set. The three-layer answer
/// `{code,msg,data:{status,data}}` is unwrapped into the same typed results as the direct
/// backend; ResponseMetadata::http_status is WeChat's status (204 for a close), and
/// ResponseMetadata::gateway_request_id the gateway's `X-Request-Id`.
///
/// Errors of the operations, beyond those of the direct backend:
/// - kUnauthenticated: the gateway answered 401/403 (missing, invalid, anonymous or expired
///   token, after one refresh when `tokens` can refresh), pay-common refused the caller, or no
///   token is available; the message says an authenticated (non-anonymous) login is required.
/// - kServiceError: a WeChat error passed through as `code:0` with `data.status >= 400` (WeChat's
///   code, message, detail and HTTP status — never a success); pay-common's own `code:-1`
///   (ErrorInfo::service_code "-1", service_message its `msg`); a gateway error such as
///   FUNCTION_NOT_FOUND or a 429/5xx (service_code the gateway's code).
/// - kMalformedResponse: a 2xx whose body is not pay-common's three-layer JSON, or an answer
///   over the transport's size limits (ErrorInfo::field "body" or "headers"; see HttpTransport).
/// For an order, close or refund whose answer leaves open whether WeChat applied it (gateway
/// 5xx, pay-common's `code:-1`, which it also uses for failures after the WeChat call, or an
/// unreadable 2xx), ErrorInfo::outcome_unknown is set: query before retrying with the same
/// out_trade_no / out_refund_no.
///
/// Validation, on top of NativePayClient's: pay-common accepts an order's out_trade_no only as
/// 6–32 characters of [A-Za-z0-9_-], and an order must not set both appid and
/// use_service_account (pay-common would silently drop the appid).
///
/// No answer in this mode is signed: pay-common does not pass WeChat's signatures through, so
/// trust rests on TLS to the gateway (docs/gateway.md). Payment callbacks still go to the
/// merchant's own notify route and are verified with NotificationParser.
///
/// `tokens` null means MakeFixedTokenProvider(config.gateway->access_token).
/// Errors at creation: kConfiguration naming gateway.envId, gateway.functionName, gateway.url or
/// gateway.accessToken and the rule (function name `^[a-zA-Z][a-zA-Z0-9_-]{0,58}[a-zA-Z0-9]$`;
/// url https, plain http only for loopback); kUnauthenticated (field gateway.accessToken) when
/// there is neither a token nor a provider.
///
/// @par Thread Safety
/// The channel is safe to use from many threads at once (given a thread-safe transport and
/// provider, which the built-in ones are).
WECHATPAY_EXPORT StatusOr<std::shared_ptr<NativePayChannel>> MakeGatewayChannel(
    MerchantConfig const& config, ClientOptions options = {},
    std::shared_ptr<AccessTokenProvider> tokens = nullptr);

}  // namespace wechatpay
