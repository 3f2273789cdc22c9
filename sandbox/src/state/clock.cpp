// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "state/clock.hpp"

#include <cmath>
#include <ctime>

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::int64_t kChinaOffsetSeconds = 8 * 3600;

}  // namespace

std::chrono::milliseconds TimeScale::Real(std::chrono::milliseconds wechat) const {
  double const real = std::round(static_cast<double>(wechat.count()) * factor_);
  return std::chrono::milliseconds(real < 0 ? 0 : static_cast<std::int64_t>(real));
}

std::int64_t UnixSeconds(SystemClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t UnixMillis(SystemClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

SystemClock::time_point FromUnixMillis(std::int64_t millis) {
  return SystemClock::time_point(std::chrono::milliseconds(millis));
}

std::string Rfc3339China(SystemClock::time_point t) {
  std::time_t const local = static_cast<std::time_t>(UnixSeconds(t) + kChinaOffsetSeconds);
  std::tm parts{};
  gmtime_r(&local, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S+08:00", &parts);
  return buffer;
}

}  // namespace wechatpay::sandbox::internal
