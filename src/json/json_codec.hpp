// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The JSON codec of the API v3 models, over the library's one reader and writer
// (json_reader.hpp, json_writer.hpp).
//
// Writing: members in the documented order; optional members absent when unset (never null);
// empty vectors omitted. Reading: lenient about unknown members and member order (WeChat adds
// fields over time), strict about the types of the members it maps (a string where a number
// belongs is kMalformedResponse naming the JSON path).

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "json/json_reader.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// Members the backend adds to a prepay body. Empty strings are not written.
struct PrepayInjection {
  std::string action;      // "_action" (CloudBase gateway), written first
  std::string appid;       // "appid"
  std::string mchid;       // "mchid"
  std::string notify_url;  // "notify_url" (request.notify_url wins when set)
  // CloudBase gateway only: write "useServiceAccount":true (right after "_action") when this is
  // set *and* request.use_service_account is true; pay-common deletes it before calling WeChat.
  bool write_use_service_account = false;
};

/// The prepay body: [_action], [useServiceAccount], appid, mchid, description, out_trade_no,
/// [time_expire], [attach], notify_url, [goods_tag], [limit_pay], [support_fapiao], amount,
/// [detail], [scene_info], [settle_info]. A non-empty `request.appid` / `request.notify_url`
/// overrides the injected one; appid, mchid and notify_url are left out when they end up empty
/// (validation rejects a set but empty override before this is called). time_expire is written
/// as TimeExpireOnWire() gives it; limit_pay is left out when empty.
std::string NativePrepayToJson(NativePrepayRequest const& request,
                               PrepayInjection const& injection);

/// The refund body: [_action], [transaction_id], [out_trade_no], out_refund_no, [reason],
/// [notify_url], [funds_account], amount{refund, [from], total, currency}, [goods_detail].
std::string CreateRefundToJson(CreateRefundRequest const& request, std::string_view action = {});

/// The ciphertexts of an abnormal refund's sensitive fields (Base64 RSA-OAEP), set exactly when
/// the request's bank_account / real_name are.
struct AbnormalRefundCiphertexts {
  std::optional<std::string> bank_account;
  std::optional<std::string> real_name;
};

/// The abnormal-refund body: out_refund_no, type, [bank_type], [bank_account], [real_name].
/// bank_account and real_name are written from `encrypted` only: the request's plaintext never
/// reaches the body. refund_id goes in the path, not here.
std::string ApplyAbnormalRefundToJson(ApplyAbnormalRefundRequest const& request,
                                      AbnormalRefundCiphertexts const& encrypted);

/// A flat JSON object of string members, in the given order, e.g. {"mchid":"1230000109"}.
std::string StringObjectToJson(
    std::initializer_list<std::pair<std::string_view, std::string_view>> members);

/// `{"code_url":"..."}` → NativePrepayResponse (meta left empty). Errors: kMalformedResponse.
StatusOr<NativePrepayResponse> ParseNativePrepayResponse(std::string_view json);

/// A bill answer `{"hash_type","hash_value","download_url"}` → BillDownloadInfo (gzip false,
/// meta empty), raw_json = the object's text. Errors: kMalformedResponse naming a missing or
/// mistyped member, never quoting the URL.
StatusOr<BillDownloadInfo> ParseBillDownloadInfo(std::string_view json);

/// A transaction object → Transaction, raw_json = the object's exact text. Errors:
/// kMalformedResponse (not an object, trade_state missing, a mapped member of the wrong type).
StatusOr<Transaction> ParseTransaction(std::string_view json);

/// A refund object → Refund, raw_json = the object's text. Errors: kMalformedResponse
/// (status missing, wrong member types).
StatusOr<Refund> ParseRefund(std::string_view json);

/// Reads one element of amount.from: account, amount (required). Shared by the refund answer
/// and the refund notification's resource, which carry the same object.
void ReadFundsFrom(JsonObjectReader& reader, FundsFromItem& item);

/// Reads one element of a refund's promotion_detail (every member optional, type-checked).
/// Shared by the refund answer and the refund notification's resource.
void ReadRefundPromotion(JsonObjectReader& reader, RefundPromotionDetail& promotion);

/// WeChat's error body {"code","message","detail"}.
struct ServiceErrorBody {
  std::string code;
  std::string message;
  std::string detail;  // the detail value re-serialised as compact JSON, "" when absent
};

/// Parses an error body leniently; nullopt-like empty code when the body is not such JSON.
ServiceErrorBody ParseServiceErrorBody(std::string_view json);

}  // namespace wechatpay::internal
