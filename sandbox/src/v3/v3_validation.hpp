// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// WeChat's checks of request bodies and parameters (docs/protocol.md), answered the
// way WeChat answers: 400 PARAM_ERROR naming the source ("/body/amount/total") in its message,
// with detail {location, value} (exchange.hpp ParamError).

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/exchange.hpp"

namespace wechatpay::sandbox::internal {

/// A checked Native prepay body.
struct PrepayInput {
  /// The body exactly as received (reentrant orders compare it, member order aside).
  std::string body;
  std::string appid;
  std::string mchid;
  std::string description;
  std::string out_trade_no;
  std::string notify_url;
  std::optional<std::string> time_expire;
  std::optional<std::string> attach;
  std::int64_t total = 0;
  std::string currency = "CNY";
};

/// A checked refund body.
struct RefundInput {
  /// The body exactly as received.
  std::string body;
  std::optional<std::string> transaction_id;
  std::optional<std::string> out_trade_no;
  std::string out_refund_no;
  std::optional<std::string> reason;
  std::optional<std::string> notify_url;
  std::optional<std::string> funds_account;
  std::int64_t refund = 0;
  std::int64_t total = 0;
  std::string currency;
};

/// A parsed abnormal-refund body; bank_account and real_name still encrypted (Base64).
struct AbnormalRefundInput {
  std::string out_refund_no;
  std::string type;
  std::optional<std::string> bank_type;
  std::optional<std::string> bank_account;
  std::optional<std::string> real_name;
};

/// Rules every body obeys: no JSON null anywhere, no 4-byte UTF-8 characters.
std::optional<Answer> CheckBodyValues(rapidjson::Value const& body);

/// Every documented rule of a Native prepay body (object `body`); fills `out`.
std::optional<Answer> CheckPrepayBody(rapidjson::Value const& body, PrepayInput& out);

/// Every documented rule of a refund body; fills `out`.
std::optional<Answer> CheckRefundBody(rapidjson::Value const& body, RefundInput& out);

/// The shape of an abnormal-refund body: known members, out_refund_no (its rule) and type
/// required strings, the optional ones strings, the ciphertexts at most 1024 bytes (WeChat's
/// string(1024)). The rules of the plaintext are checked after decryption.
std::optional<Answer> CheckAbnormalRefundBody(rapidjson::Value const& body,
                                              AbnormalRefundInput& out);

/// The close body: exactly {"mchid": string}.
std::optional<Answer> CheckCloseBody(rapidjson::Value const& body);

/// A path parameter: out_trade_no, transaction_id, refund_id or out_refund_no rules by `name`.
std::optional<Answer> CheckPathParameter(std::string_view name, std::string const& value);

}  // namespace wechatpay::sandbox::internal
