// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// What the sandbox targets share: the fixed merchant identity they run the emulator with, and
// the conversion of a fuzzed HTTP message into the Inbound value the sandbox's handlers take
// (what http_front.cpp does with cpp-httplib's request: the raw target, the percent-decoded
// path and query parameters).
//
// capture_seeds.cpp writes the sandbox's real traffic with the same identity, so committed
// seeds get past the identity checks.

#include <string>
#include <string_view>

#include "common/test_merchant.hpp"
#include "fuzz_support.hpp"
#include "http/exchange.hpp"

namespace wechatpay::fuzz {

/// The merchant of the fuzzed sandbox: the project's test merchant (common/test_merchant.hpp),
/// the official signing guide's example merchant.
inline constexpr auto& kSandboxMerchantId = internal::test_merchant::kMerchantId;
inline constexpr auto& kSandboxMerchantSerial = internal::test_merchant::kMerchantSerial;
inline constexpr auto& kSandboxAppId = internal::test_merchant::kAppId;
inline constexpr char kSandboxServiceAppId[] = "wx0000000000000001";
inline constexpr char kSandboxNotifyUrl[] = "https://merchant.example.com/notify";
inline constexpr char kSandboxRefundNotifyUrl[] = "https://merchant.example.com/refund-notify";
inline constexpr char kSandboxFunction[] = "pay-common";
/// The merchant key pair: the signing guide's published test key (tests/data/keys), so the
/// guide's signed request (tests/data/official.json) verifies.
inline constexpr char kSandboxMerchantPrivateKey[] = "keys/official_doc_test_key.pem";
inline constexpr char kSandboxMerchantPublicKey[] = "keys/official_doc_test_pub.pem";

/// Placeholders in seeds: the harness puts a valid value in their place, so that the fuzzer
/// reaches what lies behind the authentication (which it could never forge).
inline constexpr char kSignPlaceholder[] = "SIGN";
inline constexpr char kTokenPlaceholder[] = "Bearer TOKEN";

namespace detail {

inline int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding as cpp-httplib does it: "%XX" with two hex digits becomes the byte, anything
// else stays; '+' becomes a space only in the query.
inline std::string Decode(std::string_view text, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 &&
        HexDigit(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2]));
      i += 2;
    } else if (plus_is_space && text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace detail

/// `METHOD TARGET` start line, headers and body as an Inbound request.
inline sandbox::internal::Inbound ToInbound(HttpMessage const& message) {
  sandbox::internal::Inbound inbound;
  std::string_view line = message.start_line;
  auto const space = line.find(' ');
  inbound.method = std::string(line.substr(0, space));
  inbound.target =
      space == std::string_view::npos ? std::string() : std::string(line.substr(space + 1));
  std::string_view const target = inbound.target;
  auto const question = target.find('?');
  inbound.path = detail::Decode(target.substr(0, question), false);
  if (question != std::string_view::npos) {
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
      auto const amp = query.find('&');
      std::string_view const pair = query.substr(0, amp);
      auto const eq = pair.find('=');
      std::string_view const name = pair.substr(0, eq);
      std::string_view const value =
          eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      inbound.params.emplace(detail::Decode(name, true), detail::Decode(value, true));
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
  }
  inbound.headers = message.headers;
  inbound.body = message.body;
  return inbound;
}

}  // namespace wechatpay::fuzz
