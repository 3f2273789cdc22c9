// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "state/clock.hpp"

#include <cmath>
#include <ctime>

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::int64_t kChinaOffsetSeconds = 8 * 3600;

// `t` in China Standard Time (UTC+8, no daylight saving) with strftime's `format`.
std::string ChinaTime(SystemClock::time_point t, char const* format) {
  std::time_t const local = static_cast<std::time_t>(UnixSeconds(t) + kChinaOffsetSeconds);
  std::tm parts{};
  gmtime_r(&local, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, format, &parts);
  return buffer;
}

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
  return ChinaTime(t, "%Y-%m-%dT%H:%M:%S+08:00");
}

std::string BeijingDate(SystemClock::time_point t) { return ChinaTime(t, "%Y-%m-%d"); }

std::string BeijingDateTime(SystemClock::time_point t) { return ChinaTime(t, "%Y-%m-%d %H:%M:%S"); }

std::optional<SystemClock::time_point> BeijingMidnight(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  auto number = [&date](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) {
      if (date[i] < '0' || date[i] > '9') return std::nullopt;
      value = value * 10 + (date[i] - '0');
    }
    return value;
  };
  auto const year = number(0, 4);
  auto const month = number(5, 2);
  auto const day = number(8, 2);
  if (!year || !month || !day || *year < 1970 || *month < 1 || *month > 12 || *day < 1) {
    return std::nullopt;
  }
  bool const leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int const days_in_month = kDays[*month - 1] + (*month == 2 && leap ? 1 : 0);
  if (*day > days_in_month) return std::nullopt;
  // A real date past what a nanosecond time_point holds (year 2262) is in the future for every
  // comparison the sandbox makes: the latest instant, not a signed overflow (found by UBSan:
  // bill_date=2999-01-01).
  if (*year > 2200) return SystemClock::time_point::max();
  // Days since 1970-01-01: whole years, then whole months of this year, then the day.
  std::int64_t days = 0;
  for (int y = 1970; y < *year; ++y) {
    days += ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 366 : 365;
  }
  for (int m = 1; m < *month; ++m) days += kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  days += *day - 1;
  return FromUnixMillis((days * 86400 - kChinaOffsetSeconds) * 1000);
}

}  // namespace wechatpay::sandbox::internal
