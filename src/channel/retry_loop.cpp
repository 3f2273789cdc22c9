// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "channel/retry_loop.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

#include "common/text.hpp"

namespace wechatpay::internal {

std::chrono::milliseconds BackoffDelay(RetryOptions const& options, int retry, double jitter,
                                       std::chrono::milliseconds retry_after) {
  double base = static_cast<double>(options.initial_backoff.count());
  for (int i = 0; i < retry && base < static_cast<double>(options.max_backoff.count()); ++i)
    base *= 2;
  auto const cap = static_cast<double>(options.max_backoff.count());
  double delay = std::min(base, cap) * jitter;
  delay = std::max(delay, static_cast<double>(retry_after.count()));
  delay = std::min(delay, cap);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::max(delay, 0.0)));
}

std::chrono::milliseconds RetryAfterHint(std::string_view header_value) {
  constexpr std::int64_t kMaxSeconds = 24 * 60 * 60;
  auto const seconds = ParseInt64(Trim(header_value));
  if (!seconds || *seconds <= 0) return std::chrono::milliseconds{0};
  return std::chrono::seconds(std::min(*seconds, kMaxSeconds));
}

AttemptBudget NextAttemptBudget(Timeouts const& timeouts, std::chrono::milliseconds spent) {
  AttemptBudget budget;
  budget.connect_timeout = timeouts.connect;
  if (timeouts.total.count() <= 0) {
    budget.timeout = timeouts.attempt;
    return budget;
  }
  // At least 1 ms: zero would mean "the transport's default", i.e. no bound at all.
  auto const left = std::max(timeouts.total - spent, std::chrono::milliseconds(1));
  budget.timeout = timeouts.attempt.count() > 0 ? std::min(timeouts.attempt, left) : left;
  if (budget.connect_timeout.count() <= 0 || budget.connect_timeout > budget.timeout) {
    budget.connect_timeout = budget.timeout;
  }
  return budget;
}

bool RetryFitsBudget(Timeouts const& timeouts, std::chrono::milliseconds spent,
                     std::chrono::milliseconds delay) {
  if (timeouts.total.count() <= 0) return true;
  auto const useful = std::min(timeouts.total / 4, std::chrono::milliseconds(1000));
  return timeouts.total - spent - delay >= std::max(useful, std::chrono::milliseconds(1));
}

double RandomJitter() {
  // Jitter needs no cryptographic quality; one generator per thread avoids a lock.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_real_distribution<double> distribution(0.75, 1.25);
  return distribution(generator);
}

}  // namespace wechatpay::internal
