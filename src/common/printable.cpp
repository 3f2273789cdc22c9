// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/printable.hpp"

#include <cstdint>

namespace wechatpay::internal {
namespace {

// Length of the well-formed UTF-8 sequence at the start of `s` (Unicode Table 3-7), 0 when
// the first byte does not start one. `code_point` receives its value.
std::size_t SequenceLength(std::string_view s, std::uint32_t& code_point) noexcept {
  auto byte = [&s](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char const lead = byte(0);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    unsigned char const c = byte(i);
    if (c < (i == 1 ? low : 0x80) || c > (i == 1 ? high : 0xBF)) return 0;
    code_point = (code_point << 6) | (c & 0x3Fu);
  }
  return length;
}

// Code points that are well-formed but must not reach a log or a terminal as they are.
bool MustEscape(std::uint32_t c) noexcept {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x200E || c == 0x200F ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void AppendEscaped(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : bytes) {
    auto const u = static_cast<unsigned char>(ch);
    out += "\\x";
    out += kHex[u >> 4];
    out += kHex[u & 0x0F];
  }
}

}  // namespace

std::string PrintableUntrusted(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(text.size() < max_bytes ? text.size() : max_bytes);
  std::size_t i = 0;
  while (i < text.size()) {
    std::uint32_t code_point = 0;
    std::size_t length = SequenceLength(text.substr(i), code_point);
    bool const escape = length == 0 || MustEscape(code_point);
    if (length == 0) length = 1;  // one stray byte at a time
    if (i + length > max_bytes) break;
    if (escape) {
      AppendEscaped(out, text.substr(i, length));
    } else {
      out.append(text, i, length);
    }
    i += length;
  }
  if (i < text.size()) out += "...(" + std::to_string(text.size()) + " bytes)";
  return out;
}

std::string QuoteForMessage(std::string_view value, std::size_t max_bytes) {
  return "\"" + PrintableUntrusted(value, max_bytes) + "\"";
}

}  // namespace wechatpay::internal
