// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file models.hpp
/// Typed requests and results of the Native payment and refund APIs (docs/protocol.md lists
/// the fields and how they compare with the official Go and Java SDKs).
///
/// Amounts are integers in fen (1/100 CNY). Optional fields are std::optional (or empty
/// vectors): an absent value is left out of the JSON, never sent as null. Result models keep
/// the raw JSON the service returned in `raw_json`, so fields this version does not model are
/// not lost.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "wechatpay/export.hpp"

namespace wechatpay {

/// Facts about the HTTP exchange that produced a result.
struct WECHATPAY_EXPORT ResponseMetadata {
  /// HTTP status of the final answer (200, 204, ...).
  int http_status = 0;
  /// The `Request-ID` header (direct) or the gateway's request id (CloudBase).
  std::string request_id;
  /// CloudBase gateway only: the gateway's request id (`X-Request-Id`); empty with the direct
  /// backend. Braced default so that positional initialisers written before it stay
  /// warning-free.
  std::string gateway_request_id{};
};

// ---------------------------------------------------------------------------------------------
// Native prepay (POST /v3/pay/transactions/native)

/// Order amount.
struct WECHATPAY_EXPORT OrderAmount {
  /// Total in fen: 1 to 2147483647 (WeChat's amounts are 32-bit integers).
  std::int64_t total = 0;
  /// ISO currency; WeChat's default is "CNY" (the only one for mainland merchants).
  std::optional<std::string> currency;
};

/// One line of goods in an order's detail.
struct WECHATPAY_EXPORT GoodsDetail {
  /// Merchant's goods id (required): 1–32 characters of [0-9A-Za-z_-].
  std::string merchant_goods_id;
  /// WeChat Pay's goods id: 1–32 bytes.
  std::optional<std::string> wechatpay_goods_id;
  /// Goods name: 1–256 bytes.
  std::optional<std::string> goods_name;
  /// Quantity (required): 1 to 2147483647.
  std::int64_t quantity = 0;
  /// Unit price in fen (required): 0 to 2147483647.
  std::int64_t unit_price = 0;
};

/// Order detail (for single-item discounts).
struct WECHATPAY_EXPORT OrderDetail {
  /// Original price of the whole order, in fen: 0 to 2147483647.
  std::optional<std::int64_t> cost_price;
  /// Merchant's invoice id: 1–32 bytes.
  std::optional<std::string> invoice_id;
  /// The goods lines; omitted from the JSON when empty.
  std::vector<GoodsDetail> goods_detail;
};

/// Store information of a scene.
struct WECHATPAY_EXPORT StoreInfo {
  /// Store id (required when store_info is given): 1–32 bytes.
  std::string id;
  /// Store name: 1–256 bytes.
  std::optional<std::string> name;
  /// Administrative area code: 1–32 bytes.
  std::optional<std::string> area_code;
  /// Address: 1–512 bytes.
  std::optional<std::string> address;
};

/// Where the payment happens.
struct WECHATPAY_EXPORT SceneInfo {
  /// Payer's client IP, IPv4 or IPv6 (required when scene_info is given).
  std::string payer_client_ip;
  /// Merchant's device id: 1–32 bytes.
  std::optional<std::string> device_id;
  /// Store information.
  std::optional<StoreInfo> store_info;
};

/// Settlement options.
struct WECHATPAY_EXPORT SettleInfo {
  /// Whether the payment takes part in profit sharing.
  std::optional<bool> profit_sharing;
};

/// A Native order. appid, mchid and notify_url are injected from the client configuration;
/// `appid` and `notify_url` here override them for this order.
struct WECHATPAY_EXPORT NativePrepayRequest {
  /// Overrides the configured appId (several AppIDs may be bound to one merchant).
  std::optional<std::string> appid;
  /// Goods description shown in the payer's bill: 1–127 **bytes** of UTF-8 (WeChat counts
  /// bytes: at most 42 Chinese characters), no 4-byte UTF-8 (emoji).
  std::string description;
  /// Merchant order number: 6–32 characters of [0-9A-Za-z_-|*], unique per merchant.
  std::string out_trade_no;
  /// Payment deadline, RFC 3339 with an offset, e.g. "2018-06-08T10:34:56+08:00" or
  /// "2018-06-08T02:34:56Z"; fractional seconds are cut off before sending.
  std::optional<std::string> time_expire;
  /// Merchant data returned with the paid transaction: 1–128 bytes.
  std::optional<std::string> attach;
  /// Overrides the configured notify URL: https (http for loopback, or for any host when
  /// MerchantConfig::allow_http_notify_url is set), no query string, at most 255 bytes.
  std::optional<std::string> notify_url;
  /// Coupon tag: 1–32 bytes.
  std::optional<std::string> goods_tag;
  /// Payment methods to exclude: "no_balance", "no_credit", "no_debit" or "balance_only"
  /// (modelled by the official Go and Java SDKs); omitted from the JSON when empty.
  std::vector<std::string> limit_pay;
  /// Whether the e-invoice entry is offered.
  std::optional<bool> support_fapiao;
  /// Amount (required).
  OrderAmount amount;
  /// Goods detail.
  std::optional<OrderDetail> detail;
  /// Scene information.
  std::optional<SceneInfo> scene_info;
  /// Settlement options.
  std::optional<SettleInfo> settle_info;
  /// CloudBase backend only: let pay-common use its service-account AppID. Ignored (never
  /// sent) by the direct backend.
  bool use_service_account = false;
};

/// The answer to a Native order.
struct WECHATPAY_EXPORT NativePrepayResponse {
  /// The QR payload, e.g. "weixin://wxpay/bizpayurl?pr=…"; valid for 2 hours. Opaque: encode
  /// it byte for byte.
  std::string code_url;
  /// Exchange metadata.
  ResponseMetadata meta;
};

// ---------------------------------------------------------------------------------------------
// Queries and close

/// Query an order by the merchant's order number.
struct WECHATPAY_EXPORT QueryOrderByOutTradeNoRequest {
  /// Merchant order number.
  std::string out_trade_no;
};

/// Query an order by WeChat's transaction id (only paid orders have one).
struct WECHATPAY_EXPORT QueryOrderByIdRequest {
  /// WeChat Pay transaction id.
  std::string transaction_id;
};

/// Close an unpaid order.
struct WECHATPAY_EXPORT CloseOrderRequest {
  /// Merchant order number.
  std::string out_trade_no;
};

/// The (empty) answer to a close: 204 No Content, verified.
struct WECHATPAY_EXPORT CloseOrderResponse {
  /// Exchange metadata.
  ResponseMetadata meta;
};

/// The payer.
struct WECHATPAY_EXPORT Payer {
  /// The payer's openid under the appid.
  std::optional<std::string> openid;
};

/// Amounts of a transaction.
struct WECHATPAY_EXPORT TransactionAmount {
  /// Order total in fen.
  std::optional<std::int64_t> total;
  /// What the payer actually paid, after discounts, in fen.
  std::optional<std::int64_t> payer_total;
  /// Order currency.
  std::optional<std::string> currency;
  /// Payer's currency.
  std::optional<std::string> payer_currency;
};

/// Scene of a transaction.
struct WECHATPAY_EXPORT TransactionSceneInfo {
  /// Merchant's device id.
  std::optional<std::string> device_id;
};

/// Goods line of a promotion.
struct WECHATPAY_EXPORT PromotionGoodsDetail {
  /// Goods id.
  std::optional<std::string> goods_id;
  /// Quantity.
  std::optional<std::int64_t> quantity;
  /// Unit price in fen.
  std::optional<std::int64_t> unit_price;
  /// Discount in fen.
  std::optional<std::int64_t> discount_amount;
  /// Remark.
  std::optional<std::string> goods_remark;
};

/// A coupon or discount applied to a transaction.
struct WECHATPAY_EXPORT PromotionDetail {
  /// Coupon id.
  std::optional<std::string> coupon_id;
  /// Coupon name.
  std::optional<std::string> name;
  /// GLOBAL or SINGLE.
  std::optional<std::string> scope;
  /// CASH or NOCASH.
  std::optional<std::string> type;
  /// Coupon amount in fen.
  std::optional<std::int64_t> amount;
  /// Stock (batch) id.
  std::optional<std::string> stock_id;
  /// WeChat's contribution in fen.
  std::optional<std::int64_t> wechatpay_contribute;
  /// Merchant's contribution in fen.
  std::optional<std::int64_t> merchant_contribute;
  /// Others' contribution in fen.
  std::optional<std::int64_t> other_contribute;
  /// Currency.
  std::optional<std::string> currency;
  /// Goods lines.
  std::vector<PromotionGoodsDetail> goods_detail;
};

/// A payment transaction: the answer to a query and the plaintext of TRANSACTION.SUCCESS.
struct WECHATPAY_EXPORT Transaction {
  /// AppID.
  std::optional<std::string> appid;
  /// Merchant id.
  std::optional<std::string> mchid;
  /// Merchant order number.
  std::optional<std::string> out_trade_no;
  /// WeChat Pay transaction id (absent until paid).
  std::optional<std::string> transaction_id;
  /// JSAPI, NATIVE, APP, MICROPAY, MWEB or FACEPAY.
  std::optional<std::string> trade_type;
  /// SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR or ACCEPT.
  std::string trade_state;
  /// Human-readable state.
  std::optional<std::string> trade_state_desc;
  /// Payer's bank type.
  std::optional<std::string> bank_type;
  /// The order's attach (returned once paid).
  std::optional<std::string> attach;
  /// Payment time, RFC 3339.
  std::optional<std::string> success_time;
  /// The payer.
  std::optional<Payer> payer;
  /// Amounts.
  std::optional<TransactionAmount> amount;
  /// Scene.
  std::optional<TransactionSceneInfo> scene_info;
  /// Promotions applied.
  std::vector<PromotionDetail> promotion_detail;
  /// The complete JSON object as the service returned it.
  std::string raw_json;
  /// Exchange metadata (empty for a notification's transaction).
  ResponseMetadata meta;
};

/// True for the trade states after which a Native order's state no longer changes by itself:
/// SUCCESS, REFUND, CLOSED, REVOKED, PAYERROR.
WECHATPAY_EXPORT bool IsTerminalTradeState(std::string const& trade_state);

// ---------------------------------------------------------------------------------------------
// Refunds (POST /v3/refund/domestic/refunds, GET /v3/refund/domestic/refunds/{out_refund_no})

/// Part of a refund taken from one account.
struct WECHATPAY_EXPORT FundsFromItem {
  /// AVAILABLE or UNAVAILABLE; each account at most once per refund.
  std::string account;
  /// Amount in fen: 1 to 2147483647; the items of a refund sum to its amount.refund.
  std::int64_t amount = 0;
};

/// Amounts of a refund request.
struct WECHATPAY_EXPORT RefundRequestAmount {
  /// Amount to refund in fen: 1 ≤ refund ≤ total.
  std::int64_t refund = 0;
  /// The original order's total in fen: at most 2147483647.
  std::int64_t total = 0;
  /// Currency (required by WeChat); "CNY".
  std::string currency = "CNY";
  /// Accounts to refund from; omitted when empty.
  std::vector<FundsFromItem> from;
};

/// A goods line of a refund.
struct WECHATPAY_EXPORT RefundGoodsDetail {
  /// Merchant's goods id: 1–32 characters of [0-9A-Za-z_-].
  std::string merchant_goods_id;
  /// WeChat Pay's goods id: 1–32 bytes.
  std::optional<std::string> wechatpay_goods_id;
  /// Goods name: 1–256 bytes.
  std::optional<std::string> goods_name;
  /// Unit price in fen: 0 to 2147483647.
  std::int64_t unit_price = 0;
  /// Refund amount in fen: 0 to 2147483647.
  std::int64_t refund_amount = 0;
  /// Refund quantity: 1 to 2147483647.
  std::int64_t refund_quantity = 0;
};

/// A refund. At least one of transaction_id and out_trade_no; both may be given (they must name
/// the same order).
struct WECHATPAY_EXPORT CreateRefundRequest {
  /// WeChat transaction id of the order.
  std::optional<std::string> transaction_id;
  /// Merchant order number of the order: 1–32 characters (orders from API v2 may be shorter
  /// than a new order's 6).
  std::optional<std::string> out_trade_no;
  /// Merchant refund number: 1–64 characters of [0-9A-Za-z_-|*@]. Resending the same number
  /// refunds once.
  std::string out_refund_no;
  /// Reason shown to the payer: 1–80 bytes.
  std::optional<std::string> reason;
  /// Refund notification URL (overrides the platform setting): the notify_url rules, at most
  /// 256 bytes.
  std::optional<std::string> notify_url;
  /// AVAILABLE or UNSETTLED.
  std::optional<std::string> funds_account;
  /// Amounts (required).
  RefundRequestAmount amount;
  /// Goods lines; omitted when empty.
  std::vector<RefundGoodsDetail> goods_detail;
};

/// Query a refund.
struct WECHATPAY_EXPORT QueryRefundRequest {
  /// Merchant refund number.
  std::string out_refund_no;
};

/// ApplyAbnormalRefundRequest::type: the money goes to a bank card of the payer (bank_type,
/// bank_account and real_name required).
inline constexpr std::string_view kAbnormalRefundToUserBankCard = "USER_BANK_CARD";
/// ApplyAbnormalRefundRequest::type: the money goes to the merchant's bank account (no bank
/// fields).
inline constexpr std::string_view kAbnormalRefundToMerchantBankCard = "MERCHANT_BANK_CARD";

/// Asks WeChat to pay out a refund that ended ABNORMAL (the original account could not take
/// it back), `POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund`. The answer
/// is the refund, PROCESSING again; its end comes as a REFUND.* notification or a query.
///
/// bank_account and real_name are the payer's personal data: the client encrypts them
/// (RSA-OAEP with the WeChat Pay key it names in Wechatpay-Serial) and never logs them or puts
/// them in an error message. Wipe them after the call if the application keeps the request.
struct WECHATPAY_EXPORT ApplyAbnormalRefundRequest {
  /// WeChat's refund id (Refund::refund_id), sent in the path: 1–32 characters of [0-9A-Za-z].
  std::string refund_id;
  /// Merchant refund number of the same refund: the out_refund_no rules.
  std::string out_refund_no;
  /// kAbnormalRefundToUserBankCard or kAbnormalRefundToMerchantBankCard.
  std::string type;
  /// The payer's bank, as WeChat's bank type list names it (e.g. ICBC_DEBIT): 1–16 characters
  /// of [0-9A-Za-z_]. Required for USER_BANK_CARD, refused for MERCHANT_BANK_CARD.
  std::optional<std::string> bank_type;
  /// The payer's card number, **plaintext** (the client encrypts it): 1–32 ASCII digits.
  /// Required for USER_BANK_CARD, refused for MERCHANT_BANK_CARD.
  std::optional<std::string> bank_account;
  /// The card holder's name, **plaintext** (the client encrypts it): 1–214 bytes of UTF-8 (the
  /// most one RSA-2048 OAEP block holds). Required for USER_BANK_CARD, refused for
  /// MERCHANT_BANK_CARD.
  std::optional<std::string> real_name;
};

/// Amounts of a refund result.
struct WECHATPAY_EXPORT RefundAmount {
  /// Order total in fen.
  std::optional<std::int64_t> total;
  /// Refunded amount in fen.
  std::optional<std::int64_t> refund;
  /// Accounts refunded from.
  std::vector<FundsFromItem> from;
  /// What the payer paid, in fen.
  std::optional<std::int64_t> payer_total;
  /// What the payer gets back, in fen.
  std::optional<std::int64_t> payer_refund;
  /// Settlement refund amount.
  std::optional<std::int64_t> settlement_refund;
  /// Settlement total.
  std::optional<std::int64_t> settlement_total;
  /// Discount refunded.
  std::optional<std::int64_t> discount_refund;
  /// Currency.
  std::optional<std::string> currency;
  /// Refund fee.
  std::optional<std::int64_t> refund_fee;
};

/// Goods line of a refund promotion.
struct WECHATPAY_EXPORT RefundPromotionGoodsDetail {
  /// Merchant goods id.
  std::optional<std::string> merchant_goods_id;
  /// WeChat goods id.
  std::optional<std::string> wechatpay_goods_id;
  /// Goods name.
  std::optional<std::string> goods_name;
  /// Unit price.
  std::optional<std::int64_t> unit_price;
  /// Refund amount.
  std::optional<std::int64_t> refund_amount;
  /// Refund quantity.
  std::optional<std::int64_t> refund_quantity;
};

/// Promotion in a refund.
struct WECHATPAY_EXPORT RefundPromotionDetail {
  /// Promotion id.
  std::optional<std::string> promotion_id;
  /// GLOBAL or SINGLE.
  std::optional<std::string> scope;
  /// COUPON or DISCOUNT.
  std::optional<std::string> type;
  /// Promotion amount.
  std::optional<std::int64_t> amount;
  /// Refunded part of it.
  std::optional<std::int64_t> refund_amount;
  /// Goods lines.
  std::vector<RefundPromotionGoodsDetail> goods_detail;
};

/// A refund as WeChat reports it.
struct WECHATPAY_EXPORT Refund {
  /// WeChat refund id.
  std::optional<std::string> refund_id;
  /// Merchant refund number.
  std::optional<std::string> out_refund_no;
  /// WeChat transaction id.
  std::optional<std::string> transaction_id;
  /// Merchant order number.
  std::optional<std::string> out_trade_no;
  /// ORIGINAL, BALANCE, OTHER_BALANCE or OTHER_BANKCARD.
  std::optional<std::string> channel;
  /// Where the money goes back to.
  std::optional<std::string> user_received_account;
  /// Completion time (SUCCESS only).
  std::optional<std::string> success_time;
  /// Creation time.
  std::optional<std::string> create_time;
  /// SUCCESS, CLOSED, PROCESSING or ABNORMAL.
  std::string status;
  /// Funds account.
  std::optional<std::string> funds_account;
  /// Amounts.
  std::optional<RefundAmount> amount;
  /// Promotions.
  std::vector<RefundPromotionDetail> promotion_detail;
  /// The complete JSON object as the service returned it.
  std::string raw_json;
  /// Exchange metadata.
  ResponseMetadata meta;
};

// ---------------------------------------------------------------------------------------------
// Bills (GET /v3/bill/tradebill, GET /v3/bill/fundflowbill, then the file at download_url;
// docs/bills.md)

/// Apply for the trade bill of one day.
struct WECHATPAY_EXPORT TradeBillRequest {
  /// The bill's day, yyyy-MM-dd, a Beijing (UTC+8) date: at most yesterday and not earlier than
  /// three calendar months before today.
  std::string bill_date;
  /// ALL (WeChat's default when absent), SUCCESS, REFUND, RECHARGE_REFUND, ALL_SPECIAL,
  /// SUC_SPECIAL or REF_SPECIAL.
  std::optional<std::string> bill_type;
  /// "GZIP" for a gzip-compressed file; absent for plain text.
  std::optional<std::string> tar_type;
};

/// Apply for the fund-flow bill of one day.
struct WECHATPAY_EXPORT FundFlowBillRequest {
  /// The bill's day, with the rules of TradeBillRequest::bill_date.
  std::string bill_date;
  /// BASIC (WeChat's default when absent), OPERATION or FEES.
  std::optional<std::string> account_type;
  /// "GZIP" for a gzip-compressed file; absent for plain text.
  std::optional<std::string> tar_type;
};

/// The signed answer to a bill request: where to download the file and its digest. Download it
/// at once: WeChat keeps the URL valid for about 30 seconds.
struct WECHATPAY_EXPORT BillDownloadInfo {
  /// The digest algorithm; WeChat sends "SHA1".
  std::string hash_type;
  /// The hex digest of the decompressed file.
  std::string hash_value;
  /// The absolute URL of the file, on the API host. Carries a one-time token: treat it as a
  /// secret (the library never logs or quotes it).
  std::string download_url;
  /// True when the file is one gzip stream (the request's tar_type was GZIP); filled in by the
  /// client from the request, since the answer does not say.
  bool gzip = false;
  /// The complete JSON object as the service returned it.
  std::string raw_json;
  /// Exchange metadata.
  ResponseMetadata meta;
};

/// What a completed, digest-checked bill download delivered.
struct WECHATPAY_EXPORT BillDownloadResult {
  /// Bytes received from WeChat (compressed when the file is gzip).
  std::uint64_t downloaded_bytes = 0;
  /// Bytes of the decompressed bill, the ones the digest covers.
  std::uint64_t bill_bytes = 0;
  /// Metadata of the file answer (HTTP status, Request-ID when sent).
  ResponseMetadata meta;
};

}  // namespace wechatpay
