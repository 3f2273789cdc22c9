// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The WeChat Pay API v3 paths of the Native flow (docs/protocol.md, "Paths") and the platform
// certificate download (GET /v3/certificates), as
// api.mch.weixin.qq.com serves them: authenticate, parse, check, then apply to the order book. The
// business entry points are shared with the pay-common emulation, which reaches "WeChat"
// in-process.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/exchange.hpp"
#include "state/order_book.hpp"
#include "v3/bill_api.hpp"
#include "v3/request_auth.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::sandbox::internal {

/// The platform certificate download path.
inline constexpr std::string_view kCertificatesPath = "/v3/certificates";

/// The v3 API.
///
/// @par Thread Safety
/// Safe from many threads (the order book synchronizes).
class V3Api {
 public:
  /// `on_refund_accepted` is called (outside any lock) with each newly accepted refund's
  /// out_refund_no, to schedule its completion.
  /// `certificates` answers an authenticated `GET /v3/certificates` (none: 404 NOT_FOUND, like
  /// any path the sandbox does not serve). `bills` serves the bill paths (none: 404).
  /// `decrypt` decrypts a sensitive field with the private key of the serial a request names
  /// in Wechatpay-Serial (SigningKeys::Decrypt()); none: no abnormal refund can be applied for.
  V3Api(std::string app_id, std::string service_app_id, RequestAuthenticator authenticator,
        OrderBook& orders, std::function<void(std::string const&)> on_refund_accepted,
        std::function<Answer()> certificates = {}, BillApi const* bills = nullptr,
        std::function<StatusOr<std::string>(std::string_view, std::string_view)> decrypt = {})
      : app_id_(std::move(app_id)),
        service_app_id_(std::move(service_app_id)),
        authenticator_(std::move(authenticator)),
        orders_(orders),
        on_refund_accepted_(std::move(on_refund_accepted)),
        certificates_(std::move(certificates)),
        bills_(bills),
        decrypt_(std::move(decrypt)) {}

  /// Answers a request under /v3/: authentication first, then the route. `corrupt_bill` (the
  /// corrupt-bill fault) spoils one byte of the bill file an application or a download produces.
  /// Every answer is a WeChat one (Request-ID; signed when 2xx) except a bill file, which WeChat
  /// sends unsigned.
  Answer Handle(Inbound const& request, bool corrupt_bill = false) const;

  /// POST /v3/pay/transactions/native with `body`, from merchant `mchid` (authenticated).
  Answer Prepay(std::string const& body, std::string const& mchid) const;
  /// GET /v3/pay/transactions/out-trade-no/{no}?mchid=…
  Answer QueryByOutTradeNo(std::string const& out_trade_no,
                           std::optional<std::string> const& mchid_param,
                           std::string const& mchid) const;
  /// GET /v3/pay/transactions/id/{id}?mchid=…
  Answer QueryById(std::string const& transaction_id, std::optional<std::string> const& mchid_param,
                   std::string const& mchid) const;
  /// POST /v3/pay/transactions/out-trade-no/{no}/close with `body`.
  Answer Close(std::string const& out_trade_no, std::string const& body,
               std::string const& mchid) const;
  /// POST /v3/refund/domestic/refunds with `body`.
  Answer CreateRefund(std::string const& body) const;
  /// GET /v3/refund/domestic/refunds/{out_refund_no}
  Answer QueryRefund(std::string const& out_refund_no) const;
  /// POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund with `body`, whose
  /// sensitive fields are encrypted for the key `serial` names (the request's
  /// Wechatpay-Serial): decrypted and checked, then the ABNORMAL refund goes PROCESSING.
  Answer ApplyAbnormalRefund(std::string const& refund_id, std::string_view serial,
                             std::string const& body) const;

 private:
  Answer Route(Inbound const& request, bool corrupt_bill) const;

  std::string app_id_;
  std::string service_app_id_;
  RequestAuthenticator authenticator_;
  OrderBook& orders_;
  std::function<void(std::string const&)> on_refund_accepted_;
  std::function<Answer()> certificates_;
  BillApi const* bills_;
  std::function<StatusOr<std::string>(std::string_view, std::string_view)> decrypt_;
};

}  // namespace wechatpay::sandbox::internal
