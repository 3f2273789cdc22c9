// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The retry loop's arithmetic: backoff growth, jitter, the cap, and the Retry-After hint.

#include <chrono>

#include "catch.hpp"
#include "internal/retry_loop.hpp"

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

TEST_CASE("BackoffDelay doubles, applies the jitter, honours Retry-After and the cap",
          "[retry]") {
  RetryOptions options;
  options.initial_backoff = milliseconds(200);
  options.max_backoff = milliseconds(5000);
  CHECK(BackoffDelay(options, 0, 1.0, milliseconds(0)) == milliseconds(200));
  CHECK(BackoffDelay(options, 2, 1.0, milliseconds(0)) == milliseconds(800));
  CHECK(BackoffDelay(options, 1, 0.75, milliseconds(0)) == milliseconds(300));
  CHECK(BackoffDelay(options, 30, 1.25, milliseconds(0)) == milliseconds(5000));
  CHECK(BackoffDelay(options, 0, 1.0, milliseconds(1500)) == milliseconds(1500));
  CHECK(BackoffDelay(options, 0, 1.0, RetryAfterHint("9223372036854775807")) ==
        milliseconds(5000));
}

}  // namespace
}  // namespace wechatpay::internal
