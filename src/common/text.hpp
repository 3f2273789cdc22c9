// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Small ASCII text helpers shared by the library (no locale, no allocation unless returned).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wechatpay::internal {

/// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept;

/// ASCII lower-case copy.
std::string ToLower(std::string_view s);

/// ASCII upper-case copy.
std::string ToUpper(std::string_view s);

/// Removes leading and trailing spaces, tabs, CR and LF.
std::string_view Trim(std::string_view s) noexcept;

/// Parses a whole string of decimal digits (optional leading '-') into int64; nullopt on any
/// other character, empty input or overflow.
std::optional<std::int64_t> ParseInt64(std::string_view s) noexcept;

/// True when every character is in [0-9].
bool IsAllDigits(std::string_view s) noexcept;

/// True when every character is in [0-9A-Fa-f].
bool IsAllHex(std::string_view s) noexcept;

}  // namespace wechatpay::internal
