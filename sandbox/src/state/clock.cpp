// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "state/clock.hpp"

#include <cmath>
#include <ctime>

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::int64_t kChinaOffsetSeconds = 8 * 3600;

// The value of `count` digits at text[pos], or -1.
int Digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
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
  std::time_t const local = static_cast<std::time_t>(UnixSeconds(t) + kChinaOffsetSeconds);
  std::tm parts{};
  gmtime_r(&local, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S+08:00", &parts);
  return buffer;
}

std::optional<SystemClock::time_point> ParseRfc3339(std::string_view text) {
  int const year = Digits(text, 0, 4);
  int const month = Digits(text, 5, 2);
  int const day = Digits(text, 8, 2);
  int const hour = Digits(text, 11, 2);
  int const minute = Digits(text, 14, 2);
  int const second = Digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60 || text.size() < 20 ||
      text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  }
  std::int64_t offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int const oh = Digits(text, pos + 1, 2);
    int const om = Digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || pos + 3 >= text.size() || text[pos + 3] != ':') return std::nullopt;
    offset = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  std::int64_t const utc = static_cast<std::int64_t>(timegm(&parts)) - offset;
  return SystemClock::time_point(std::chrono::seconds(utc));
}

}  // namespace wechatpay::sandbox::internal
