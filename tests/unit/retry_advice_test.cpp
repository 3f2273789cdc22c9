// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// AdviseRetry(): the public reading of the one retry table, which jobs that schedule their own
// later call (the ledger's Reconciler) use instead of classifying failures themselves.

#include <string>

#include "catch.hpp"
#include "wechatpay/channel/retry_advice.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay {
namespace {

Status ServiceError(int http_status, std::string code) {
  ErrorInfo info;
  info.http_status = http_status;
  info.service_code = std::move(code);
  return Status(StatusCode::kServiceError, "from the test", std::move(info));
}

TEST_CASE("AdviseRetry: rate limits are retried later and flagged as rate limits",
          "[retry_advice]") {
  for (auto const& status : {ServiceError(429, "FREQUENCY_LIMITED"), ServiceError(429, ""),
                             ServiceError(403, "RATELIMIT_EXCEEDED")}) {
    auto const advice = AdviseRetry(status);
    CHECK(advice.retry_later);
    CHECK(advice.rate_limited);
  }
}

TEST_CASE("AdviseRetry: server errors and lost answers are retried later, not rate limits",
          "[retry_advice]") {
  ErrorInfo lost;
  lost.outcome_unknown = true;
  for (auto const& status :
       {ServiceError(500, "SYSTEM_ERROR"), Status(StatusCode::kTransport, "reset", lost),
        Status(StatusCode::kDeadlineExceeded, "timeout", lost)}) {
    auto const advice = AdviseRetry(status);
    CHECK(advice.retry_later);
    CHECK_FALSE(advice.rate_limited);
  }
}

TEST_CASE("AdviseRetry: refusals and local errors are not retried; OK needs nothing",
          "[retry_advice]") {
  for (auto const& status : {ServiceError(404, "ORDER_NOT_EXIST"), ServiceError(400, "PARAM_ERROR"),
                             Status(StatusCode::kInvalidArgument, "bad"), Status()}) {
    auto const advice = AdviseRetry(status);
    CHECK_FALSE(advice.retry_later);
    CHECK_FALSE(advice.rate_limited);
  }
}

}  // namespace
}  // namespace wechatpay
