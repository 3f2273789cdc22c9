// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The retry loop shared by the backends. Whether an attempt may be repeated is decided by the
// attempt itself (it knows the method and how far the request got); the loop only counts,
// waits with jittered exponential backoff and logs.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "wechatpay/config.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// The result of one attempt.
template <typename T>
struct Attempt {
  StatusOr<T> result;
  /// True when repeating the identical request is safe and may help (5xx, 429, connect
  /// failure, a GET that timed out).
  bool retryable = false;
  /// The server's Retry-After hint, zero when none.
  std::chrono::milliseconds retry_after{0};
};

/// Delay before retry number `retry` (0-based): initial·2^retry capped at max_backoff, times
/// `jitter` (expected in [0.75, 1.25]), and at least `retry_after` (still capped).
std::chrono::milliseconds BackoffDelay(RetryOptions const& options, int retry, double jitter,
                                       std::chrono::milliseconds retry_after);

/// The delay a Retry-After header value asks for: delta-seconds (RFC 9110 §10.2.3) clamped
/// to one day, so a huge value cannot overflow the milliseconds count (found by
/// fuzz/gateway_unwrap); zero when absent, not a number, or not positive. HTTP-dates are
/// ignored: WeChat and the gateway send seconds. BackoffDelay() caps the wait at max_backoff.
std::chrono::milliseconds RetryAfterHint(std::string_view header_value);

/// A uniformly distributed jitter factor in [0.75, 1.25] (thread-safe).
double RandomJitter();

/// The time one attempt may take: what is left of the call's bound, capped by the per-attempt
/// bound. Zero means "no bound" (the transport's default).
struct AttemptBudget {
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds connect_timeout{0};
};

/// The budget of the next attempt after `spent` of the call (attempts and backoff waits).
AttemptBudget NextAttemptBudget(Timeouts const& timeouts, std::chrono::milliseconds spent);

/// True when a retry after waiting `delay` still leaves the attempt a useful share of the call's
/// time: at least a quarter of Timeouts::total, at most one second of it. A retry squeezed into
/// a few milliseconds would only time out, and for a write turn a clean failure into an
/// unknown outcome.
bool RetryFitsBudget(Timeouts const& timeouts, std::chrono::milliseconds spent,
                     std::chrono::milliseconds delay);

/// Runs `attempt(AttemptBudget)` until it succeeds, fails in a way that is not retryable, the
/// retries run out, or the next retry would not fit in Timeouts::total; returns the last result.
/// The time spent is the attempts' measured time plus the backoff delays handed to `sleep` (so
/// an injected sleep counts as if it had slept).
template <typename T, typename AttemptFn>
StatusOr<T> RunWithRetries(RetryOptions const& options, Timeouts const& timeouts,
                           std::function<void(std::chrono::milliseconds)> const& sleep,
                           LogSink const& logger, std::string_view what, AttemptFn&& attempt) {
  using Clock = std::chrono::steady_clock;
  std::chrono::milliseconds spent{0};
  for (int retry = 0;; ++retry) {
    auto const started = Clock::now();
    Attempt<T> outcome = attempt(NextAttemptBudget(timeouts, spent));
    spent += std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    if (outcome.result.ok() || !outcome.retryable || retry >= options.max_retries) {
      return std::move(outcome.result);
    }
    auto delay = BackoffDelay(options, retry, RandomJitter(), outcome.retry_after);
    if (!RetryFitsBudget(timeouts, spent, delay)) {
      if (logger) {
        logger(LogLevel::kInfo, std::string(what) + " failed (" +
                                    outcome.result.status().ToString() +
                                    "); no retry: the call's timeout of " +
                                    std::to_string(timeouts.total.count()) + " ms leaves no time");
      }
      return std::move(outcome.result);
    }
    if (logger) {
      logger(LogLevel::kInfo, std::string(what) + " failed (" + outcome.result.status().ToString() +
                                  "); retry " + std::to_string(retry + 1) + " of " +
                                  std::to_string(options.max_retries) + " in " +
                                  std::to_string(delay.count()) + " ms");
    }
    sleep(delay);
    spent += delay;
  }
}

}  // namespace wechatpay::internal
