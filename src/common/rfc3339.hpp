// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// RFC 3339 date-times with an offset, in the form WeChat Pay documents
// ("2018-06-08T10:34:56+08:00", an optional fraction, Z or ±hh:mm): the one parser of the project,
// used by the request validation (time_expire) and by the sandbox (an order's deadline).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wechatpay::internal {

/// Why `text` is not such a date-time, e.g. "day 31 does not exist in 2026-02"; empty when it
/// is one. Upper-case 'T' and 'Z' only, and no leap second (":60"): RFC 3339 allows both, but
/// WeChat documents the upper-case form and no official SDK sends anything else
/// (docs/protocol.md, "time_expire").
std::string Rfc3339Problem(std::string_view text);

/// The instant `text` names (a fraction of a second is dropped); nullopt when Rfc3339Problem()
/// finds a problem.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

/// A day of the proleptic Gregorian calendar.
struct CivilDate {
  int year = 1970;
  int month = 1;  ///< 1-12
  int day = 1;    ///< 1-31
};

/// The number of days of `month` (1-12) in `year`.
int DaysInMonth(int year, int month);

/// Days from 1970-01-01 to year-month-day (negative before it).
std::int64_t DaysFromCivil(std::int64_t year, int month, int day);

/// The date `days` days after 1970-01-01: the inverse of DaysFromCivil().
CivilDate CivilFromDays(std::int64_t days);

/// Why `text` is not a date written yyyy-MM-dd, e.g. "day 31 does not exist in 2026-02"; empty
/// when it is one (the form of WeChat's bill_date).
std::string DateProblem(std::string_view text);

/// The date `text` names; nullopt when DateProblem() finds a problem.
std::optional<CivilDate> ParseDate(std::string_view text);

}  // namespace wechatpay::internal
