// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file retry_advice.hpp
/// What the library's retry table says about a failed call, for code that schedules its own
/// later attempt (a job that queries orders again, like the ledger's Reconciler): the same
/// decision the client's pipeline and the PaymentWatcher make, so a failure is never classified
/// twice.

#include "wechatpay/export.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay {

/// The retry table's answer for one failure.
struct WECHATPAY_EXPORT RetryAdvice {
  /// A later, separate call may succeed (the table's "retry later" column): a timeout, a
  /// dropped connection, a 5xx, WeChat's rate limit. False for an OK status and for failures
  /// that would fail the same way again (bad input, a business refusal, a forged answer).
  bool retry_later = false;
  /// WeChat (or the CloudBase gateway) asked the caller to slow down: HTTP 429,
  /// FREQUENCY_LIMITED or RATELIMIT_EXCEEDED. A caller backs off before its next call.
  bool rate_limited = false;
};

/// The retry table's advice for `status` (an OK status gets the default: nothing to retry).
WECHATPAY_EXPORT RetryAdvice AdviseRetry(Status const& status);

}  // namespace wechatpay
