// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// One HTTP exchange as the sandbox's handlers see it, independent of the HTTP server library:
// the request exactly as it arrived, and the answer to send. Plus WeChat's error bodies.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "wechatpay/http/types.hpp"

namespace wechatpay::sandbox::internal {

/// A request as it arrived.
struct Inbound {
  /// Method, e.g. "POST".
  std::string method;
  /// The raw request-target (path and query exactly as sent): what the client signed.
  std::string target;
  /// The percent-decoded path.
  std::string path;
  /// The decoded query parameters.
  std::multimap<std::string, std::string> params;
  /// Header fields (case-insensitive lookup).
  HttpHeaders headers;
  /// The exact body bytes.
  std::string body;

  /// The first query parameter `name`, if any.
  std::optional<std::string> Param(std::string const& name) const;
};

/// An answer to send.
struct Answer {
  /// HTTP status.
  int status = 200;
  /// The exact body bytes (empty for 204).
  std::string body;
  /// Content-Type of a non-empty body.
  std::string content_type = "application/json";
  /// Extra header fields (Request-ID, signature headers, ...).
  HttpHeaders headers;
  /// WeChat's internal error number, shown as the suffix of Request-ID ("…-268512771").
  int internal_code = 0;
  /// A WeChat Pay API v3 answer: signed (Wechatpay-*) when 2xx.
  bool wechat = false;
  /// Why the request was refused, in plain English, for the request log (request_log.hpp);
  /// never sent. Names the check or the field that failed, never a value that could be a
  /// secret. Empty: the log shows the error body's code.
  std::string refusal;
};

/// Internal error numbers WeChat puts at the end of Request-ID (docs/protocol.md,
/// "Codes and Request-ID numbers").
namespace wechat_code {
inline constexpr int kParamError = 268435461;
inline constexpr int kOutOfRange = 268435464;
inline constexpr int kSignError = 268443699;
inline constexpr int kAppIdMchIdMismatch = 268445527;
inline constexpr int kFrequencyLimited = 268447840;
inline constexpr int kOrderPaid = 268449538;
inline constexpr int kReentrantMismatch = 268498688;
inline constexpr int kOrderNotExist = 268512771;
inline constexpr int kNotEnough = 268892709;
inline constexpr int kExtraParameter = 270924358;
}  // namespace wechat_code

/// A JSON answer.
Answer JsonAnswer(int status, std::string body);

/// 204 No Content.
Answer NoContent();

/// A WeChat Pay v3 error: `{"code","message"[,"detail"]}` with `detail_json` (JSON text) when
/// not empty.
Answer WeChatError(int status, std::string_view code, std::string_view message,
                   int internal_code = 0, std::string_view detail_json = {});

/// 400 PARAM_ERROR in the shape WeChat answers it (docs/protocol.md, "Sandbox fidelity"):
/// `{"code":"PARAM_ERROR","detail":{"location":L,"value":V},"message":M}` with
/// M = `输入源“/L/FIELD”映射到值字段“NAME”` + `issue`. `field` is a JSON pointer into the body
/// ("/amount/total") or the name of a path or query parameter; `location` is "body", "path"
/// (written "uri_template", as WeChat does) or "query"; NAME is the field's label on WeChat's
/// API pages where the sandbox knows it, else the member name. `value_json` is the offending
/// value as JSON text; nullopt means the value is missing, and the answer is then WeChat's
/// required-field one (`映射到字段“NAME”必填性规则校验失败，此字段为必填项`, value "").
Answer ParamError(std::string_view field, std::optional<std::string> const& value_json,
                  std::string_view issue, std::string_view location = "body");

/// How a string rule measures length: UTF-8 bytes (字节数) or characters (字符数).
enum class LengthUnit { kBytes, kChars };

/// 400 PARAM_ERROR for a string over its limit, as WeChat reports one: value is the measured
/// length, not the string, and the message ends `字符串规则校验失败，字节数 N，大于最大值 MAX`
/// (字符数 for a rule that counts characters).
Answer ParamLengthError(std::string_view field, std::size_t length, std::size_t max,
                        LengthUnit unit = LengthUnit::kBytes, std::string_view location = "body");

/// A Request-ID like WeChat's: a unique hex id, "-", the internal error number (0 on success).
std::string MakeRequestId(int internal_code);

}  // namespace wechatpay::sandbox::internal
