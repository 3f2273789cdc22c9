// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/utf8.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace wechatpay::internal {
namespace {

bool IsContinuation(unsigned char c) noexcept { return c >= 0x80 && c <= 0xBF; }

// The length of the well-formed sequence starting at text[i], or 0 when it is ill-formed. The
// second byte's range depends on the lead byte: that is what excludes overlong forms (E0, F0),
// surrogates (ED) and code points above U+10FFFF (F4), per Unicode Table 3-7.
std::size_t SequenceLength(std::string_view text, std::size_t i) noexcept {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  unsigned char lead = byte(0);
  if (lead <= 0x7F) return 1;
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;  // 80..C1 (continuation or overlong 2-byte lead) and F5..FF never start a sequence
  }
  if (text.size() - i < length) return 0;
  if (byte(1) < second_min || byte(1) > second_max) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (!IsContinuation(byte(k))) return 0;
  }
  return length;
}

// The length of the run of ASCII bytes at the start of text[i..]: 16 bytes at a time with SSE2.
// JSON texts from WeChat are ASCII but for a few Chinese strings.
std::size_t AsciiRun(std::string_view text, std::size_t i) noexcept {
  std::size_t const start = i;
#if defined(__SSE2__)
  for (; text.size() - i >= 16; i += 16) {
    __m128i const v = _mm_loadu_si128(reinterpret_cast<__m128i const*>(text.data() + i));
    if (int const mask = _mm_movemask_epi8(v); mask != 0) {
      return i - start + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  while (i < text.size() && static_cast<unsigned char>(text[i]) <= 0x7F) ++i;
  return i - start;
}

}  // namespace

Utf8Scan ScanUtf8(std::string_view text) noexcept {
  Utf8Scan scan;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t const ascii = AsciiRun(text, i);
    scan.code_points += ascii;
    i += ascii;
    if (i == text.size()) break;
    std::size_t length = SequenceLength(text, i);
    if (length == 0) {
      scan.valid = false;
      scan.error_offset = i;
      return scan;
    }
    if (length == 4) scan.has_four_byte = true;
    ++scan.code_points;
    i += length;
  }
  return scan;
}

}  // namespace wechatpay::internal
