// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The numbers of a bill as the readers take them (docs/bills.md): amounts in yuan through
// ParseYuanToFen (bill_format.hpp), and the two ways bills are seen to write more digits than
// the rule's two decimals without changing the value.

#include <cstdint>
#include <optional>
#include <string_view>

#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// An amount column's value in fen: ParseYuanToFen, after dropping decimals beyond the second
/// when they are all zeros ("0.57000": older trade bills write the fee with five decimals; the
/// value stays exact, and "0.571" is still refused).
StatusOr<std::int64_t> ParseBillAmount(std::string_view text, std::string_view column);

/// The common amount shape, "-?D{1,15}(.D{1,2})?", in fen, without building a StatusOr (a
/// Status is 256 bytes: eight of them per trade bill row were a tenth of the reader's time);
/// nullopt for anything else, which ParseBillAmount() reads or refuses.
std::optional<std::int64_t> ParsePlainBillAmount(std::string_view text) noexcept;

/// A count column's value: digits, optionally followed by a decimal point and zeros only ("20.0":
/// the official fund-flow sample writes its counts that way). Nothing when it is not a count.
std::optional<std::int64_t> ParseBillCount(std::string_view text) noexcept;

}  // namespace wechatpay::internal
