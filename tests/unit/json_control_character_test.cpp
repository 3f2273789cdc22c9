// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Regression (fuzz/regressions/json_models): RFC 8259 requires the control characters U+0000 to
// U+001F to be escaped inside strings. The notification readers' SSE2 fast path let 0x1A-0x1F
// through unescaped (RapidJSON 1.1.0's SIMD scanners test `c <= 0x19`), so it accepted texts
// that the reference parse refuses. Every reader must refuse every raw control character, at
// any offset (the SIMD scanner takes over after the first aligned 16 bytes).

#include <string>

#include "catch.hpp"
#include "json/json_codec.hpp"
#include "notify/notification_codec.hpp"

namespace wechatpay::internal {
namespace {

TEST_CASE("JSON readers refuse raw control characters inside strings at any offset") {
  for (int c = 0x01; c < 0x20; ++c) {
    for (std::size_t at = 0; at < 40; ++at) {
      std::string value(40, 'x');
      value[at] = static_cast<char>(c);
      std::string const text = R"({"trade_state":"SUCCESS","mchid":")" + value + R"("})";
      INFO("control character " << c << " at " << at);
      CHECK_FALSE(CheckPlaintextIsJsonObject(text).ok());
      CHECK_FALSE(
          ParseNotificationEnvelope(R"({"id":"1","event_type":"E","resource":{"ciphertext":")" +
                                    value + R"(","nonce":"n"}})")
              .ok());
      CHECK_FALSE(ParseTransaction(text).ok());
    }
  }
  // Escaped, they are fine.
  CHECK(CheckPlaintextIsJsonObject(R"({"mchid":"\u001f\u001a\t"})").ok());
}

}  // namespace
}  // namespace wechatpay::internal
