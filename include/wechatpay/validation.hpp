// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file validation.hpp
/// The input rules the client applies before anything is sent (CLI.md, PROTOCOL.md §4).
/// Exposed so applications can check a form before building a request.
///
/// Lengths: `description` is counted in Unicode characters (code points of the UTF-8 text),
/// `attach` and `reason` in bytes, as WeChat documents them. Text must be valid UTF-8 without
/// 4-byte sequences (WeChat accepts only 1–3-byte characters).

#include <string_view>
#include "wechatpay/export.hpp"

#include "wechatpay/models.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay {

/// out_trade_no: 6–32 characters of [0-9A-Za-z_-|*]. Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateOutTradeNo(std::string_view out_trade_no);

/// out_refund_no: 1–64 characters of [0-9A-Za-z_-|*@]. Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateOutRefundNo(std::string_view out_refund_no);

/// transaction_id: 1–32 characters of [0-9A-Za-z]. Errors: kInvalidArgument.
WECHATPAY_EXPORT Status ValidateTransactionId(std::string_view transaction_id);

/// notify_url: an absolute https URL (http only for a loopback host), no query string or
/// fragment, at most 255 bytes. `field` names the setting in the error.
WECHATPAY_EXPORT Status ValidateNotifyUrl(std::string_view url,
                                          std::string_view field = "notify_url");

/// time_expire: RFC 3339 date-time with seconds and an explicit offset (Z or ±hh:mm).
WECHATPAY_EXPORT Status ValidateTimeExpire(std::string_view time_expire);

/// Every rule of a Native order (description, out_trade_no, amount.total ≥ 1, currency,
/// attach, time_expire, notify_url, goods_tag, detail, scene_info).
WECHATPAY_EXPORT Status Validate(NativePrepayRequest const& request);

/// Every rule of a refund (exactly one of transaction_id / out_trade_no, out_refund_no,
/// 1 ≤ refund ≤ total, currency, reason ≤ 80 bytes, notify_url).
WECHATPAY_EXPORT Status Validate(CreateRefundRequest const& request);

/// out_trade_no rule.
WECHATPAY_EXPORT Status Validate(QueryOrderByOutTradeNoRequest const& request);
/// transaction_id rule.
WECHATPAY_EXPORT Status Validate(QueryOrderByIdRequest const& request);
/// out_trade_no rule.
WECHATPAY_EXPORT Status Validate(CloseOrderRequest const& request);
/// out_refund_no rule.
WECHATPAY_EXPORT Status Validate(QueryRefundRequest const& request);

}  // namespace wechatpay
