// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// ParseYuanToFen (bill_format.hpp) and the bill readers' amount and count rules.
#include "protocol/bill_amount.hpp"

#include <limits>
#include <string>

#include "wechatpay/protocol/bill_format.hpp"

namespace wechatpay {
namespace {

bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }

Status YuanError(std::string_view field, std::string_view rule) {
  return Status(StatusCode::kInvalidArgument,
                std::string(field) + ": " + std::string(rule) +
                    " (an amount in yuan: digits, at most two decimals, an optional leading '-')");
}

// value * 10 + digit, refusing int64 overflow.
bool PushDigit(std::int64_t& value, char digit) noexcept {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  int const d = digit - '0';
  if (value > (kMax - d) / 10) return false;
  value = value * 10 + d;
  return true;
}

}  // namespace

StatusOr<std::int64_t> ParseYuanToFen(std::string_view text, std::string_view field) {
  if (text.empty()) return YuanError(field, "empty");
  bool const negative = text.front() == '-';
  std::string_view rest = negative ? text.substr(1) : text;
  std::size_t const dot = rest.find('.');
  std::string_view const whole = rest.substr(0, dot);
  std::string_view const decimals =
      dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  if (whole.empty()) return YuanError(field, "no digit before the decimal point");
  if (dot != std::string_view::npos && decimals.empty()) {
    return YuanError(field, "no digit after the decimal point");
  }
  if (decimals.size() > 2) return YuanError(field, "more than two decimals");
  std::int64_t fen = 0;
  for (char c : whole) {
    if (!IsDigit(c)) return YuanError(field, "not a number");
    if (!PushDigit(fen, c)) return YuanError(field, "too large");
  }
  // Two decimal places, "0.1" meaning 10 fen: append the decimals and pad with zeros.
  for (std::size_t i = 0; i < 2; ++i) {
    char const c = i < decimals.size() ? decimals[i] : '0';
    if (!IsDigit(c)) return YuanError(field, "not a number");
    if (!PushDigit(fen, c)) return YuanError(field, "too large");
  }
  return negative ? -fen : fen;
}

namespace internal {

// The common shape "-?D{1,15}(.D{1,2})?" read directly, no StatusOr built; nullopt for anything
// else, which ParseYuanToFen() then reads or refuses with its message.
std::optional<std::int64_t> ParsePlainBillAmount(std::string_view text) noexcept {
  std::size_t i = 0;
  bool const negative = !text.empty() && text[0] == '-';
  if (negative) i = 1;
  std::int64_t fen = 0;
  std::size_t const whole_start = i;
  while (i < text.size() && IsDigit(text[i])) fen = fen * 10 + (text[i++] - '0');
  std::size_t const whole = i - whole_start;
  if (whole == 0 || whole > 15) return std::nullopt;  // 15 digits cannot overflow
  int decimals = 0;
  if (i < text.size()) {
    if (text[i++] != '.') return std::nullopt;
    while (i < text.size() && decimals < 3 && IsDigit(text[i])) {
      fen = fen * 10 + (text[i++] - '0');
      ++decimals;
    }
    if (i != text.size() || decimals == 0 || decimals > 2) return std::nullopt;
  }
  for (; decimals < 2; ++decimals) fen *= 10;
  return negative ? -fen : fen;
}

StatusOr<std::int64_t> ParseBillAmount(std::string_view text, std::string_view column) {
  if (std::optional<std::int64_t> fen = ParsePlainBillAmount(text)) return *fen;
  std::size_t const dot = text.find('.');
  if (dot != std::string_view::npos && text.size() - dot - 1 > 2) {
    std::string_view const extra = text.substr(dot + 3);
    if (extra.find_first_not_of('0') == std::string_view::npos) text = text.substr(0, dot + 3);
  }
  return ParseYuanToFen(text, column);
}

std::optional<std::int64_t> ParseBillCount(std::string_view text) noexcept {
  std::size_t const dot = text.find('.');
  std::string_view const whole = text.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view const zeros = text.substr(dot + 1);
    if (zeros.empty() || zeros.find_first_not_of('0') != std::string_view::npos) return {};
  }
  if (whole.empty()) return {};
  std::int64_t value = 0;
  for (char c : whole) {
    if (!IsDigit(c) || !PushDigit(value, c)) return {};
  }
  return value;
}

}  // namespace internal
}  // namespace wechatpay
