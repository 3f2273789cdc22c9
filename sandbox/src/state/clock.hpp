// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Time in the sandbox. Two kinds, kept apart on purpose:
// - wall-clock instants that clients compare with their own clocks (Wechatpay-Timestamp, the
//   5-minute request window, success_time, time_expire): never scaled;
// - WeChat-side durations (callback retry intervals, code_url validity, refund processing):
//   multiplied by --time-scale, so tests can live through hours of WeChat time in milliseconds.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/rfc3339.hpp"

namespace wechatpay::sandbox::internal {

using SystemClock = std::chrono::system_clock;

/// Turns WeChat-side durations into real ones.
class TimeScale {
 public:
  /// `factor` > 0: real = WeChat × factor.
  explicit TimeScale(double factor) : factor_(factor) {}
  /// The real duration of `wechat`, rounded to milliseconds (never negative).
  std::chrono::milliseconds Real(std::chrono::milliseconds wechat) const;
  /// The factor.
  double factor() const { return factor_; }

 private:
  double factor_;
};

/// Unix seconds of `t`.
std::int64_t UnixSeconds(SystemClock::time_point t);
/// Unix milliseconds of `t`.
std::int64_t UnixMillis(SystemClock::time_point t);
/// The instant `millis` after the Unix epoch.
SystemClock::time_point FromUnixMillis(std::int64_t millis);

/// RFC 3339 in China Standard Time, as WeChat writes times: "2026-11-26T10:00:00+08:00".
std::string Rfc3339China(SystemClock::time_point t);

/// Parses an RFC 3339 date-time with an offset (the project's one parser, common/rfc3339.hpp).
using wechatpay::internal::ParseRfc3339;

}  // namespace wechatpay::sandbox::internal
