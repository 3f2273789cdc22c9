// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The HTTP answers WeChat Pay expects from notify_url (docs/protocol.md, "Answering and
// redelivery"): 200/204 for success, 4XX/5XX with {"code":"FAIL","message":"..."} for failure.
// WeChat looks at the status first: a 200 with a FAIL body counts as success, so failure must never
// be a 2xx.

#include <string>
#include <string_view>

#include "common/json_text.hpp"
#include "wechatpay/notify/answer.hpp"

namespace wechatpay {
namespace {

// Fixed texts: an answer never quotes a Status message (which may quote headers, and for an
// application error may say anything) — the details belong in the merchant's own logs.
constexpr std::string_view kBodyTooLargeMessage = "notification body too large";
constexpr std::string_view kVerificationMessage = "signature verification failed";
constexpr std::string_view kMalformedMessage = "malformed notification";
constexpr std::string_view kProcessingMessage = "processing failed";

}  // namespace

NotificationAnswer SuccessAnswer() { return NotificationAnswer{204, "", ""}; }

NotificationAnswer FailureAnswer(int http_status, std::string_view message) {
  if (http_status < 400 || http_status > 599) http_status = 500;
  return NotificationAnswer{http_status, "application/json",
                            R"({"code":"FAIL","message":)" + internal::JsonQuote(message) + "}"};
}

NotificationAnswer AnswerFor(Status const& outcome) {
  switch (outcome.code()) {
    case StatusCode::kOk:
      return SuccessAnswer();
    case StatusCode::kVerificationFailed:
      return FailureAnswer(401, kVerificationMessage);
    case StatusCode::kMalformedResponse:
      if (outcome.info().field == "body") return FailureAnswer(413, kBodyTooLargeMessage);
      return FailureAnswer(400, kMalformedMessage);
    default:
      return FailureAnswer(500, kProcessingMessage);
  }
}

}  // namespace wechatpay
