// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The retry loop's arithmetic: backoff growth, jitter, the cap, the Retry-After hint, and the
// call's time budget.

#include <chrono>
#include <vector>

#include "catch.hpp"
#include "channel/retry_loop.hpp"

namespace wechatpay::internal {
namespace {

using std::chrono::milliseconds;

TEST_CASE("RetryAfterHint reads delta-seconds and refuses everything else", "[retry]") {
  CHECK(RetryAfterHint("3") == std::chrono::seconds(3));
  CHECK(RetryAfterHint(" 3 ") == std::chrono::seconds(3));
  CHECK(RetryAfterHint("") == milliseconds(0));
  CHECK(RetryAfterHint("0") == milliseconds(0));
  CHECK(RetryAfterHint("-5") == milliseconds(0));
  CHECK(RetryAfterHint("soon") == milliseconds(0));
  CHECK(RetryAfterHint("Wed, 21 Oct 2015 07:28:00 GMT") == milliseconds(0));
  // Values whose milliseconds would overflow int64 (fuzz/regressions/gateway_unwrap).
  CHECK(RetryAfterHint("9223372036854775807") == std::chrono::hours(24));
  CHECK(RetryAfterHint("86401") == std::chrono::hours(24));
}

TEST_CASE("BackoffDelay doubles, applies the jitter, honours Retry-After and the cap", "[retry]") {
  RetryOptions options;
  options.initial_backoff = milliseconds(200);
  options.max_backoff = milliseconds(5000);
  CHECK(BackoffDelay(options, 0, 1.0, milliseconds(0)) == milliseconds(200));
  CHECK(BackoffDelay(options, 2, 1.0, milliseconds(0)) == milliseconds(800));
  CHECK(BackoffDelay(options, 1, 0.75, milliseconds(0)) == milliseconds(300));
  CHECK(BackoffDelay(options, 30, 1.25, milliseconds(0)) == milliseconds(5000));
  CHECK(BackoffDelay(options, 0, 1.0, milliseconds(1500)) == milliseconds(1500));
  CHECK(BackoffDelay(options, 0, 1.0, RetryAfterHint("9223372036854775807")) == milliseconds(5000));
}

// Issue 14, finding 9: timeoutMs bounded each attempt, so a GET with two retries could take
// three times the configured timeout. The bound is now the whole call's.
TEST_CASE("Each attempt gets what is left of the call's timeout, capped per attempt", "[retry]") {
  Timeouts timeouts;
  timeouts.connect = milliseconds(5000);
  timeouts.total = milliseconds(3000);
  auto budget = NextAttemptBudget(timeouts, milliseconds(0));
  CHECK(budget.timeout == milliseconds(3000));
  CHECK(budget.connect_timeout == milliseconds(3000));  // never longer than the attempt
  budget = NextAttemptBudget(timeouts, milliseconds(2200));
  CHECK(budget.timeout == milliseconds(800));
  CHECK(budget.connect_timeout == milliseconds(800));
  budget = NextAttemptBudget(timeouts, milliseconds(5000));
  CHECK(budget.timeout == milliseconds(1));  // spent: never 0, which means "no bound"
  timeouts.connect = milliseconds(200);
  timeouts.attempt = milliseconds(1000);
  budget = NextAttemptBudget(timeouts, milliseconds(0));
  CHECK(budget.timeout == milliseconds(1000));
  CHECK(budget.connect_timeout == milliseconds(200));
  budget = NextAttemptBudget(timeouts, milliseconds(2500));
  CHECK(budget.timeout == milliseconds(500));
}

TEST_CASE("A retry is made only when a useful share of the call's time is left", "[retry]") {
  Timeouts timeouts;
  timeouts.total = milliseconds(2000);  // useful share: a quarter, 500 ms
  CHECK(RetryFitsBudget(timeouts, milliseconds(1000), milliseconds(500)));
  CHECK_FALSE(RetryFitsBudget(timeouts, milliseconds(1000), milliseconds(501)));
  timeouts.total = milliseconds(60000);  // a quarter would be 15 s; one second is enough
  CHECK(RetryFitsBudget(timeouts, milliseconds(58000), milliseconds(1000)));
  CHECK_FALSE(RetryFitsBudget(timeouts, milliseconds(58000), milliseconds(1001)));
}

TEST_CASE("RunWithRetries stops retrying when the call's timeout would be exceeded", "[retry]") {
  RetryOptions options;
  options.max_retries = 10;
  options.initial_backoff = milliseconds(400);
  options.max_backoff = milliseconds(1000);
  Timeouts timeouts;
  timeouts.total = milliseconds(1000);
  std::vector<milliseconds> budgets;
  std::vector<milliseconds> sleeps;
  auto result = RunWithRetries<int>(
      options, timeouts, [&](milliseconds d) { sleeps.push_back(d); }, nullptr, "test",
      [&](AttemptBudget const& budget) {
        budgets.push_back(budget.timeout);
        return Attempt<int>{Status(StatusCode::kTransport, "refused"), true};
      });
  REQUIRE_FALSE(result.ok());
  // The first wait is 300-500 ms (jitter), leaving at least 500 ms; a second one (600-1000 ms)
  // would leave less than the useful quarter (250 ms). Without the budget: 11 attempts.
  REQUIRE(budgets.size() == 2);
  CHECK(sleeps.size() == 1);
  CHECK(budgets[0] == milliseconds(1000));
  CHECK(budgets[1] <= milliseconds(1000) - sleeps[0]);
  CHECK(budgets[1] >= milliseconds(1000) - sleeps[0] - milliseconds(100));
}

}  // namespace
}  // namespace wechatpay::internal
