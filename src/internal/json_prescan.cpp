// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "internal/json_prescan.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal/utf8.hpp"

namespace wechatpay::internal {
namespace {

// The length of the run at the start of [p, p + n) free of NUL, '\\' and '"': the bytes that
// end or interrupt a JSON string. Most of a notification is one long Base64 string (the
// ciphertext), so this loop is where a pre-scan spends its time.
std::size_t PlainStringRun(char const* p, std::size_t n) noexcept {
  std::size_t i = 0;
#if defined(__SSE2__)
  __m128i const quote = _mm_set1_epi8('"');
  __m128i const backslash = _mm_set1_epi8('\\');
  __m128i const zero = _mm_setzero_si128();
  for (; n - i >= 16; i += 16) {
    __m128i const v = _mm_loadu_si128(reinterpret_cast<__m128i const*>(p + i));
    __m128i const hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                     _mm_cmpeq_epi8(v, zero));
    if (int const mask = _mm_movemask_epi8(hits); mask != 0) {
      return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  while (i < n && p[i] != '\0' && p[i] != '"' && p[i] != '\\') ++i;
  return i;
}

}  // namespace

std::string PreScanJson(std::string_view json, int max_nesting) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  char const* const p = json.data();
  std::size_t const n = json.size();
  std::size_t i = 0;
  while (i < n) {
    // Inside a string only NUL, '\\' and '"' matter.
    if (in_string && !escaped) {
      i += PlainStringRun(p + i, n - i);
      if (i == n) break;
    }
    char const c = p[i++];
    if (c == '\0') return "contains a NUL byte";
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_nesting) {
        return "nests deeper than " + std::to_string(max_nesting) + " levels";
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return {};
}

bool IsWellFormedUtf8(std::string_view text) noexcept { return ScanUtf8(text).valid; }

}  // namespace wechatpay::internal
