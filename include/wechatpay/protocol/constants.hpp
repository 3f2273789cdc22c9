// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file constants.hpp
/// The wire constants of WeChat Pay API v3 and of the CloudBase pay-common route, each defined
/// once: API paths, header names, the Authorization schemes, the timestamp window and the
/// SIGNTEST prefix (docs/protocol.md describes each). Useful to applications that build or
/// check requests themselves (a test server, a proxy, a callback route).

#include <chrono>
#include <string_view>

namespace wechatpay {

/// The Authorization scheme of API v3 requests.
inline constexpr std::string_view kAuthorizationScheme = "WECHATPAY2-SHA256-RSA2048";

/// The Authorization scheme of the CloudBase gateway (`Authorization: Bearer <token>`).
inline constexpr std::string_view kBearerScheme = "Bearer";

/// The default accepted difference between Wechatpay-Timestamp and the local clock; a skew
/// equal to it is refused. WeChat does not publish its own window; 5 minutes is what its
/// troubleshooting guide and the official SDKs use.
inline constexpr std::chrono::seconds kTimestampWindow{300};

/// The Wechatpay-Signature prefix of the probes WeChat sends to check that merchants verify;
/// a signature starting with it is never valid.
inline constexpr std::string_view kSignTestPrefix = "WECHATPAY/SIGNTEST/";

/// The `associated_data` of every platform certificate in a `GET /v3/certificates` answer
/// (documented as a fixed value): the AES-GCM tag covers it, so a ciphertext made for another
/// purpose (a notification resource) cannot pass as a certificate.
inline constexpr std::string_view kCertificateAssociatedData = "certificate";

/// The encryption of platform certificates and notification resources.
inline constexpr std::string_view kAeadAes256Gcm = "AEAD_AES_256_GCM";

/// HTTP header names. HTTP header names are case-insensitive; these are the spellings WeChat
/// Pay and the gateway send.
namespace headers {
/// The request signature (API v3) or the bearer token (gateway).
inline constexpr std::string_view kAuthorization = "Authorization";
/// The id of the key that signed an answer or notification; on a request, the key WeChat
/// should sign its answer with.
inline constexpr std::string_view kSerial = "Wechatpay-Serial";
/// The Base64 signature of an answer or notification.
inline constexpr std::string_view kSignature = "Wechatpay-Signature";
/// The Unix time (seconds, as text) an answer or notification was signed at.
inline constexpr std::string_view kTimestamp = "Wechatpay-Timestamp";
/// The nonce covered by an answer's or notification's signature.
inline constexpr std::string_view kNonce = "Wechatpay-Nonce";
/// The signature algorithm of a notification (always kAuthorizationScheme).
inline constexpr std::string_view kSignatureType = "Wechatpay-Signature-Type";
/// WeChat's id of one request; WeChat support asks for it.
inline constexpr std::string_view kRequestId = "Request-ID";
/// The CloudBase gateway's id of one request.
inline constexpr std::string_view kGatewayRequestId = "X-Request-Id";
/// The delay (delta-seconds) a server asks for before the request is repeated.
inline constexpr std::string_view kRetryAfter = "Retry-After";
/// Sent as `application/json` on every request.
inline constexpr std::string_view kAccept = "Accept";
/// `application/json` on every request (WeChat refuses others).
inline constexpr std::string_view kContentType = "Content-Type";
/// WeChat refuses requests without one.
inline constexpr std::string_view kUserAgent = "User-Agent";
}  // namespace headers

/// API v3 request paths of the Native operations.
namespace paths {
/// POST: creates a Native order.
inline constexpr std::string_view kNativePrepay = "/v3/pay/transactions/native";
/// GET `{kOrderByOutTradeNo}{out_trade_no}?mchid=…`; POST `…{out_trade_no}{kCloseSuffix}`.
inline constexpr std::string_view kOrderByOutTradeNo = "/v3/pay/transactions/out-trade-no/";
/// GET `{kOrderById}{transaction_id}?mchid=…`.
inline constexpr std::string_view kOrderById = "/v3/pay/transactions/id/";
/// Appended to an order's path to close it.
inline constexpr std::string_view kCloseSuffix = "/close";
/// GET: the platform certificates (docs/protocol.md, "Platform certificates").
inline constexpr std::string_view kCertificates = "/v3/certificates";
/// POST: creates a refund; GET `{kRefunds}/{out_refund_no}` queries one.
inline constexpr std::string_view kRefunds = "/v3/refund/domestic/refunds";
/// GET `?bill_date=&bill_type=&tar_type=`: applies for a day's trade bill.
inline constexpr std::string_view kTradeBill = "/v3/bill/tradebill";
/// GET `?bill_date=&account_type=&tar_type=`: applies for a day's fund-flow bill.
inline constexpr std::string_view kFundFlowBill = "/v3/bill/fundflowbill";
/// POST `{kRefunds}/{refund_id}{kApplyAbnormalRefundSuffix}`: pays out an ABNORMAL refund.
inline constexpr std::string_view kApplyAbnormalRefundSuffix = "/apply-abnormal-refund";
}  // namespace paths

/// The `_action` routes of CloudBase pay-common, one per operation.
namespace pay_common_actions {
/// Creates a Native order.
inline constexpr std::string_view kOrderNative = "wxpay_order_native";
/// Queries an order by out_trade_no.
inline constexpr std::string_view kQueryByOutTradeNo = "wxpay_query_order_by_out_trade_no";
/// Queries an order by transaction_id.
inline constexpr std::string_view kQueryByTransactionId = "wxpay_query_order_by_transaction_id";
/// Closes an order.
inline constexpr std::string_view kCloseOrder = "wxpay_close_order";
/// Creates a refund.
inline constexpr std::string_view kRefund = "wxpay_refund";
/// Queries a refund.
inline constexpr std::string_view kRefundQuery = "wxpay_refund_query";
}  // namespace pay_common_actions

}  // namespace wechatpay
