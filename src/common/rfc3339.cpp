// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/rfc3339.hpp"

#include <cstdint>

namespace wechatpay::internal {
namespace {

// The value of `count` decimal digits at text[pos], or -1 when any of them is not a digit.
int Digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool At(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

}  // namespace

std::string Rfc3339Problem(std::string_view text) {
  int year = Digits(text, 0, 4);
  int month = Digits(text, 5, 2);
  int day = Digits(text, 8, 2);
  int hour = Digits(text, 11, 2);
  int minute = Digits(text, 14, 2);
  int second = Digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 ||
      !At(text, 4, '-') || !At(text, 7, '-') || !At(text, 10, 'T') || !At(text, 13, ':') ||
      !At(text, 16, ':')) {
    return "expected YYYY-MM-DDTHH:MM:SS";
  }
  if (month < 1 || month > 12) return "month " + std::to_string(month) + " does not exist";
  if (day < 1 || day > DaysInMonth(year, month)) {
    return "day " + std::string(text.substr(8, 2)) + " does not exist in " +
           std::string(text.substr(0, 7));
  }
  if (hour > 23) return "hour " + std::to_string(hour) + " is out of range";
  if (minute > 59) return "minute " + std::to_string(minute) + " is out of range";
  if (second > 59) return "second " + std::to_string(second) + " is out of range";
  std::size_t pos = 19;
  if (At(text, pos, '.')) {
    std::size_t digits = 0;
    while (Digits(text, pos + 1 + digits, 1) >= 0) ++digits;
    if (digits == 0) return "a '.' must be followed by fractional digits";
    pos += 1 + digits;
  }
  if (At(text, pos, 'Z')) {
    pos += 1;
  } else if (At(text, pos, '+') || At(text, pos, '-')) {
    int offset_hour = Digits(text, pos + 1, 2);
    int offset_minute = Digits(text, pos + 4, 2);
    if (offset_hour < 0 || offset_minute < 0 || !At(text, pos + 3, ':')) {
      return "the offset must be Z or +hh:mm / -hh:mm";
    }
    if (offset_hour > 23 || offset_minute > 59) return "the offset is out of range";
    pos += 6;
  } else {
    return "missing offset (Z or +hh:mm / -hh:mm)";
  }
  if (pos != text.size()) return "unexpected text after the offset";
  return {};
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// The civil-date algorithm: years counted from March, so the leap day ends a year.
std::int64_t DaysFromCivil(std::int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  std::int64_t const era = (year >= 0 ? year : year - 399) / 400;
  std::int64_t const year_of_era = year - era * 400;
  std::int64_t const day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  std::int64_t const day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate CivilFromDays(std::int64_t days) {
  days += 719468;
  std::int64_t const era = (days >= 0 ? days : days - 146096) / 146097;
  std::int64_t const day_of_era = days - era * 146097;
  std::int64_t const year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  std::int64_t const day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  std::int64_t const month_index = (5 * day_of_year + 2) / 153;  // 0 = March
  int const day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  int const month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  auto const year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return CivilDate{year, month, day};
}

std::string DateProblem(std::string_view text) {
  int const year = Digits(text, 0, 4);
  int const month = Digits(text, 5, 2);
  int const day = Digits(text, 8, 2);
  if (text.size() != 10 || year < 0 || month < 0 || day < 0 || !At(text, 4, '-') ||
      !At(text, 7, '-')) {
    return "expected yyyy-MM-dd";
  }
  if (month < 1 || month > 12) return "month " + std::to_string(month) + " does not exist";
  if (day < 1 || day > DaysInMonth(year, month)) {
    return "day " + std::string(text.substr(8, 2)) + " does not exist in " +
           std::string(text.substr(0, 7));
  }
  return {};
}

std::optional<CivilDate> ParseDate(std::string_view text) {
  if (!DateProblem(text).empty()) return std::nullopt;
  return CivilDate{Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2)};
}

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  if (!Rfc3339Problem(text).empty()) return std::nullopt;
  // The form is checked: every field below is where Rfc3339Problem() found it.
  std::int64_t seconds =
      DaysFromCivil(Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2)) * 86400 +
      Digits(text, 11, 2) * 3600 + Digits(text, 14, 2) * 60 + Digits(text, 17, 2);
  std::size_t pos = 19;
  if (At(text, pos, '.')) {
    ++pos;
    while (Digits(text, pos, 1) >= 0) ++pos;
  }
  if (!At(text, pos, 'Z')) {
    std::int64_t const offset = Digits(text, pos + 1, 2) * 3600 + Digits(text, pos + 4, 2) * 60;
    seconds -= At(text, pos, '-') ? -offset : offset;
  }
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace wechatpay::internal
