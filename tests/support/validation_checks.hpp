// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the validation tests: the checks of one Status and valid requests to vary.

#include <cstddef>
#include <cstdint>
#include <string>

#include "catch.hpp"
#include "wechatpay/protocol/validation.hpp"

namespace wechatpay::testing {

/// A Chinese character: 3 bytes of UTF-8.
inline std::string const kHan = "汉";
/// U+1F600, 4 bytes of UTF-8.
inline std::string const kEmoji = "\xF0\x9F\x98\x80";
/// 2^31 - 1, the largest value WeChat's 32-bit integers hold.
inline constexpr std::int64_t kInt32Max = 2147483647;

inline bool Contains(std::string const& text, std::string const& part) {
  return text.find(part) != std::string::npos;
}

/// `status` is kInvalidArgument naming `field`, with `message_part` in its message.
inline void CheckInvalid(Status const& status, std::string const& field,
                         std::string const& message_part) {
  INFO("message: " << status.message());
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.info().field == field);
  CHECK(Contains(status.message(), message_part));
}

inline void CheckOk(Status const& status) {
  INFO("message: " << status.message());
  CHECK(status.ok());
}

inline std::string Repeat(std::string const& unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

/// A valid order with only the required fields.
inline NativePrepayRequest ValidOrder() {
  NativePrepayRequest request;
  request.description = "Image形象店-深圳腾大-QQ公仔";
  request.out_trade_no = "order_20240101_0001";
  request.amount.total = 1;
  return request;
}

/// A valid full refund of a 100-fen order by out_trade_no.
inline CreateRefundRequest ValidRefund() {
  CreateRefundRequest request;
  request.out_trade_no = "order_20240101_0001";
  request.out_refund_no = "refund-1";
  request.amount.total = 100;
  request.amount.refund = 100;
  return request;
}

}  // namespace wechatpay::testing
