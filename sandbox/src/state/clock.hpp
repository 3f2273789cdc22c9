// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Time in the sandbox. Two kinds, kept apart on purpose:
// - wall-clock instants that clients compare with their own clocks (Wechatpay-Timestamp, the
//   5-minute request window, success_time, time_expire): never scaled;
// - WeChat-side durations (callback retry intervals, code_url validity, refund processing):
//   multiplied by --time-scale, so tests can live through hours of WeChat time in milliseconds.

#include <atomic>
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

/// The sandbox clock: the wall clock plus an offset that only moves forward, on request
/// (`POST /sandbox/v1/clock/advance`, Sandbox::AdvanceClock()). It decides what the bills see:
/// which Beijing day is today, whether a day's bill is ready, when a download URL expires. It is
/// never scaled by the time scale, and nothing a client compares with its own clock (signature
/// timestamps, success_time) uses it, so advancing it never breaks a signature.
///
/// @par Thread Safety
/// Safe from many threads.
class SandboxClock {
 public:
  /// Wall clock plus the offset.
  SystemClock::time_point Now() const {
    return SystemClock::now() + std::chrono::milliseconds(offset_ms_.load());
  }
  /// Moves the clock forward by `by` (≥ 0).
  void Advance(std::chrono::milliseconds by) { offset_ms_.fetch_add(by.count()); }
  /// How far ahead of the wall clock it is.
  std::chrono::milliseconds offset() const { return std::chrono::milliseconds(offset_ms_.load()); }

 private:
  std::atomic<std::int64_t> offset_ms_{0};
};

/// The Beijing date (UTC+8) of `t`: "2026-12-06".
std::string BeijingDate(SystemClock::time_point t);

/// The Beijing date and time of `t` as bills write it: "2026-12-06 14:05:09".
std::string BeijingDateTime(SystemClock::time_point t);

/// The instant 00:00:00 Beijing time of `date` ("yyyy-MM-dd", a real date of the proleptic
/// Gregorian calendar, year 1970–9999); nullopt when `date` is not one.
std::optional<SystemClock::time_point> BeijingMidnight(std::string_view date);

/// Parses an RFC 3339 date-time with an offset (the project's one parser, common/rfc3339.hpp).
using wechatpay::internal::ParseRfc3339;

}  // namespace wechatpay::sandbox::internal
