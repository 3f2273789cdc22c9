// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file validation.hpp
/// The input rules the client applies before anything is sent; docs/protocol.md gives the
/// source of each one. Exposed so applications can check a form before building a request.
///
/// Lengths are counted in **bytes** of UTF-8, as WeChat's own field validator counts them
/// ("字节数 145，大于最大值 127"): a Chinese character takes 3 bytes, so a 127-byte
/// `description` holds at most 42 of them. Text must be valid UTF-8 without 4-byte sequences
/// (WeChat accepts only 1–3-byte characters). An optional string that is present must not be
/// empty (WeChat's minimum length is 1). Every integer WeChat receives is a 32-bit signed
/// integer: amounts and quantities above 2147483647 are refused.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include "wechatpay/export.hpp"

#include "wechatpay/models.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay {

/// The largest `notify_url` of a Native order, in bytes.
inline constexpr std::size_t kPrepayNotifyUrlMaxBytes = 255;
/// The largest `notify_url` of a refund, in bytes.
inline constexpr std::size_t kRefundNotifyUrlMaxBytes = 256;
/// The largest value of any amount or quantity WeChat receives (a 32-bit signed integer).
inline constexpr std::int64_t kMaxWireInteger = 2147483647;

/// The rules that depend on how the merchant is connected to WeChat Pay.
struct WECHATPAY_EXPORT ValidationOptions {
  /// Accept a plain-http `notify_url` for any host. WeChat allows http only for merchants on a
  /// dedicated line (a NAT IP of the line or a private callback domain); everyone else must use
  /// https. Set from MerchantConfig::allow_http_notify_url. Off by default: https only, with
  /// http for a loopback host (local testing).
  bool allow_http_notify_url = false;
};

/// out_trade_no of a **new** order: 6–32 characters of [0-9A-Za-z_-|*].
/// Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateOutTradeNo(std::string_view out_trade_no);

/// out_trade_no naming an **existing** order (query, close, refund): 1–32 characters of
/// [0-9A-Za-z_-|*]. Shorter than a new order's minimum because orders placed through API v2 had
/// no minimum length. Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateExistingOutTradeNo(std::string_view out_trade_no);

/// out_refund_no: 1–64 characters of [0-9A-Za-z_-|*@]. Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateOutRefundNo(std::string_view out_refund_no);

/// transaction_id: 1–32 characters of [0-9A-Za-z]. Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateTransactionId(std::string_view transaction_id);

/// refund_id, WeChat's refund id: 1–32 characters of [0-9A-Za-z]. Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateRefundId(std::string_view refund_id);

/// The most bytes of plaintext one sensitive field may hold: what one RSA-2048 OAEP (SHA-1)
/// block encrypts, 256 - 2 * 20 - 2.
inline constexpr std::size_t kSensitiveFieldMaxBytes = 214;

/// notify_url of a Native order (also the configured notifyUrl): an absolute https URL
/// (http for a loopback host, or for any host with `options.allow_http_notify_url`), no query
/// string, fragment or user information, ASCII, at most 255 bytes. `field` names the setting in
/// the error. Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateNotifyUrl(std::string_view url,
                                          std::string_view field = "notify_url",
                                          ValidationOptions const& options = {});

/// notify_url of a refund: the rules of ValidateNotifyUrl() with a limit of 256 bytes.
/// Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateRefundNotifyUrl(std::string_view url,
                                                ValidationOptions const& options = {});

/// time_expire: an RFC 3339 date-time with seconds and an explicit offset, upper-case 'T' and
/// 'Z' (e.g. 2018-06-08T10:34:56+08:00 or 2018-06-08T02:34:56Z). Fractional seconds are
/// accepted here and cut off before sending (the value WeChat documents has whole seconds).
/// Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateTimeExpire(std::string_view time_expire);

/// Every rule of a Native order: appid, description (1–127 bytes), out_trade_no, time_expire,
/// attach (1–128 bytes), notify_url, goods_tag (1–32 bytes), limit_pay, amount.total
/// (1–2147483647 fen), currency, detail (cost_price, invoice_id, goods lines with their lengths,
/// merchant_goods_id's characters and 32-bit quantities and prices) and scene_info (client IP,
/// device_id, store fields). Errors: kInvalidArgument naming the field and the rule.
WECHATPAY_EXPORT Status Validate(NativePrepayRequest const& request,
                                 ValidationOptions const& options = {});

/// Every rule of a refund: transaction_id and/or out_trade_no (at least one; both are allowed),
/// out_refund_no, reason (1–80 bytes), notify_url (256 bytes), funds_account,
/// 1 ≤ refund ≤ total ≤ 2147483647, currency, amount.from (each account at most once, shares
/// summing to the refund) and the goods lines. Errors: kInvalidArgument.
WECHATPAY_EXPORT Status Validate(CreateRefundRequest const& request,
                                 ValidationOptions const& options = {});

/// Every rule of an abnormal refund: refund_id, out_refund_no, type (USER_BANK_CARD or
/// MERCHANT_BANK_CARD); for USER_BANK_CARD bank_type (1–16 characters of [0-9A-Za-z_]),
/// bank_account (1–32 ASCII digits) and real_name (1–214 bytes of UTF-8) are required, for
/// MERCHANT_BANK_CARD all three must be absent. Errors: kInvalidArgument naming the field and
/// the rule; a message never quotes bank_account or real_name.
WECHATPAY_EXPORT Status Validate(ApplyAbnormalRefundRequest const& request);

/// The existing-order out_trade_no rule.
WECHATPAY_EXPORT Status Validate(QueryOrderByOutTradeNoRequest const& request);
/// transaction_id rule.
WECHATPAY_EXPORT Status Validate(QueryOrderByIdRequest const& request);
/// The existing-order out_trade_no rule.
WECHATPAY_EXPORT Status Validate(CloseOrderRequest const& request);
/// out_refund_no rule.
WECHATPAY_EXPORT Status Validate(QueryRefundRequest const& request);

/// How far back a bill can be requested: three calendar months before today (WeChat keeps
/// bills of the last three months).
inline constexpr int kBillHistoryMonths = 3;

/// bill_date of a bill request: yyyy-MM-dd, a real calendar date, not later than yesterday and
/// not earlier than kBillHistoryMonths calendar months before today (the same day of the month,
/// or that month's last day when it is shorter), "today" being the Beijing date (UTC+8) at
/// `now`. Errors: kInvalidArgument naming bill_date and the rule (the earliest and latest
/// allowed dates included).
WECHATPAY_EXPORT Status ValidateBillDate(std::string_view bill_date,
                                         std::chrono::system_clock::time_point now);

/// Every rule of a trade bill request: bill_date (ValidateBillDate() at `now`), bill_type one of
/// ALL, SUCCESS, REFUND, RECHARGE_REFUND, ALL_SPECIAL, SUC_SPECIAL, REF_SPECIAL, tar_type GZIP.
/// Errors: kInvalidArgument naming the field and the rule.
WECHATPAY_EXPORT Status Validate(TradeBillRequest const& request,
                                 std::chrono::system_clock::time_point now);

/// Every rule of a fund-flow bill request: bill_date (ValidateBillDate() at `now`),
/// account_type one of BASIC, OPERATION, FEES, tar_type GZIP. Errors: kInvalidArgument naming
/// the field and the rule.
WECHATPAY_EXPORT Status Validate(FundFlowBillRequest const& request,
                                 std::chrono::system_clock::time_point now);

/// What a download needs from a bill answer: hash_type and hash_value present, download_url an
/// absolute https URL (http for a loopback host) without user information. Whether its host is
/// the API's host is the channel's check. Errors: kInvalidArgument naming the field; the URL is
/// never quoted (its token is a credential).
WECHATPAY_EXPORT Status Validate(BillDownloadInfo const& info);

}  // namespace wechatpay
