// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file notify/answer.hpp
/// The HTTP answer a merchant's notify_url sends back to WeChat Pay.

#include <string>
#include <string_view>
#include "wechatpay/export.hpp"

#include "wechatpay/status.hpp"

namespace wechatpay {

/// The HTTP answer to send back to WeChat Pay.
struct WECHATPAY_EXPORT NotificationAnswer {
  /// 204 for success; 4xx or 5xx for failure (WeChat retries on anything but 2xx).
  int status_code = 204;
  /// "application/json" when there is a body, "" otherwise.
  std::string content_type;
  /// "" for success; `{"code":"FAIL","message":"..."}` for failure.
  std::string body;

  /// True for a 2xx answer, which tells WeChat to stop redelivering.
  bool success() const noexcept { return status_code >= 200 && status_code < 300; }
};

/// 204 No Content with an empty body: WeChat accepts 200 or 204 and reads no body.
WECHATPAY_EXPORT NotificationAnswer SuccessAnswer();

/// `http_status` (a 4xx or 5xx; anything else becomes 500) with
/// `{"code":"FAIL","message":message}`. `message` is sent as is: never put a secret or an
/// internal error text in it.
WECHATPAY_EXPORT NotificationAnswer FailureAnswer(int http_status, std::string_view message);

/// The answer for the outcome of NotificationParser::Parse() (or of the whole handling):
/// - OK → 204, empty body;
/// - body too large (kMalformedResponse, field "body") → 413 (also the answer for a body a
///   server refuses by its Content-Length before reading it);
/// - kVerificationFailed → 401 (WeChat redelivers with a correct signature after a SIGNTEST
///   probe);
/// - kMalformedResponse → 400;
/// - kDecryptionFailed and every other error → 500 (an authentic message we cannot process:
///   usually a wrong APIv3 key, fixed on our side while WeChat retries).
/// Failure bodies carry a fixed message per category, never the Status message.
WECHATPAY_EXPORT NotificationAnswer AnswerFor(Status const& outcome);

}  // namespace wechatpay
