// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// Untrusted text on its way into messages and log lines (issue 14, finding 6).

#include <string>

#include "catch.hpp"
#include "common/printable.hpp"

namespace wechatpay::internal {
namespace {

TEST_CASE("PrintableUntrusted keeps readable text and escapes what could forge or hide",
          "[printable]") {
  CHECK(PrintableUntrusted("ORDER_NOT_EXIST") == "ORDER_NOT_EXIST");
  CHECK(PrintableUntrusted("订单不存在") == "订单不存在");  // WeChat's messages are Chinese
  CHECK(PrintableUntrusted("a\r\nINFO forged line") == "a\\x0D\\x0AINFO forged line");
  CHECK(PrintableUntrusted("\x1b[2J\x1b]0;title\x07") == "\\x1B[2J\\x1B]0;title\\x07");
  CHECK(PrintableUntrusted(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(PrintableUntrusted("\x7f") == "\\x7F");
  CHECK(PrintableUntrusted("\xc2\x9b"
                           "31m") == "\\xC2\\x9B31m");                 // C1 CSI
  CHECK(PrintableUntrusted("x\xe2\x80\xaey") == "x\\xE2\\x80\\xAEy");  // U+202E RLO
  CHECK(PrintableUntrusted("\xe2\x80\xa8") == "\\xE2\\x80\\xA8");      // U+2028
  CHECK(PrintableUntrusted("\xe2\x81\xa6") == "\\xE2\\x81\\xA6");      // U+2066
  // Not UTF-8: stray continuation, overlong, surrogate, truncated sequence.
  CHECK(PrintableUntrusted("\x80") == "\\x80");
  CHECK(PrintableUntrusted("\xc0\xaf") == "\\xC0\\xAF");
  CHECK(PrintableUntrusted("\xed\xa0\x80") == "\\xED\\xA0\\x80");
  CHECK(PrintableUntrusted("ab\xe4\xb8") == "ab\\xE4\\xB8");
  CHECK(PrintableUntrusted("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");  // emoji kept
}

TEST_CASE("PrintableUntrusted bounds the length at a character boundary", "[printable]") {
  std::string const huge(100 * 1024, 'x');
  auto const out = PrintableUntrusted(huge);
  CHECK(out == std::string(kMaxUntrustedTextBytes, 'x') + "...(102400 bytes)");
  CHECK(PrintableUntrusted("abcdef", 6) == "abcdef");
  CHECK(PrintableUntrusted("abcdefg", 6) == "abcdef...(7 bytes)");
  // "订" is 3 bytes: a cut inside it drops the whole character.
  CHECK(PrintableUntrusted("a订单", 3) == "a...(7 bytes)");
  CHECK(PrintableUntrusted("a订单", 4) == "a订...(7 bytes)");
}

}  // namespace
}  // namespace wechatpay::internal
