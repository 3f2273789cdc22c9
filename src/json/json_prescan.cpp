// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "json/json_prescan.hpp"

#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/utf8.hpp"

namespace wechatpay::internal {
namespace {

// Where the scan is between two bytes.
struct ScanState {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;  // the previous byte was a backslash inside a string
};

// The length of the run at the start of [p, p + n) free of NUL, '\\' and '"': the bytes that
// end or interrupt a JSON string.
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

// The reference scan, byte by byte (strings skipped in runs): the rules are all here, and the
// block scan below only ever takes a shortcut where it provably reaches the same state.
std::string ScanBytes(char const* p, std::size_t n, ScanState& s, int max_nesting) {
  std::size_t i = 0;
  while (i < n) {
    // Inside a string only NUL, '\\' and '"' matter.
    if (s.in_string && !s.escaped) {
      i += PlainStringRun(p + i, n - i);
      if (i == n) break;
    }
    char const c = p[i++];
    if (c == '\0') return "contains a NUL byte";
    if (s.in_string) {
      if (s.escaped) {
        s.escaped = false;
      } else if (c == '\\') {
        s.escaped = true;
      } else if (c == '"') {
        s.in_string = false;
      }
      continue;
    }
    if (c == '"') {
      s.in_string = true;
    } else if (c == '{' || c == '[') {
      if (++s.depth > max_nesting) {
        return "nests deeper than " + std::to_string(max_nesting) + " levels";
      }
    } else if (c == '}' || c == ']') {
      --s.depth;
    }
  }
  return {};
}

#if defined(__SSE2__)
constexpr std::size_t kBlock = 64;

// Bit i set when p[i] equals one of the bytes the 16-byte compare `eq` looks for, over 64 bytes.
template <typename Compare>
std::uint64_t BlockMask(__m128i const (&v)[4], Compare eq) noexcept {
  std::uint64_t mask = 0;
  for (int k = 0; k < 4; ++k) {
    mask |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(eq(v[k]))))
            << (16 * k);
  }
  return mask;
}

// Bit i = XOR of bits 0..i: with quote positions as input, the bytes from an opening quote up
// to (not including) its closing quote.
std::uint64_t PrefixXor(std::uint64_t x) noexcept {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// Set bits, for bracket masks (a few bits each): the loop beats the libgcc popcount call that
// __builtin_popcountll() becomes on baseline x86-64 (no POPCNT instruction).
int PopCount(std::uint64_t x) noexcept {
  int count = 0;
  for (; x != 0; x &= x - 1) ++count;
  return count;
}

// One 64-byte block without NUL or backslash, not starting after a backslash: then quotes
// alone decide what is inside a string, and brackets outside strings change the depth. Returns
// false (state untouched) when the block needs the byte scan: a NUL or a backslash in it, an
// escape pending, or a depth that might pass the limit inside it (so that the error, and
// which error comes first, is exactly the byte scan's).
bool ScanBlock(char const* p, ScanState& s, int max_nesting) noexcept {
  if (s.escaped) return false;
  __m128i v[4];
  for (int k = 0; k < 4; ++k) v[k] = _mm_loadu_si128(reinterpret_cast<__m128i const*>(p + 16 * k));
  __m128i const zero = _mm_setzero_si128();
  __m128i const backslash = _mm_set1_epi8('\\');
  __m128i special = zero;
  for (auto const& x : v) {
    special =
        _mm_or_si128(special, _mm_or_si128(_mm_cmpeq_epi8(x, zero), _mm_cmpeq_epi8(x, backslash)));
  }
  if (_mm_movemask_epi8(special) != 0) return false;
  __m128i const quote = _mm_set1_epi8('"');
  std::uint64_t const quotes = BlockMask(v, [&](__m128i x) { return _mm_cmpeq_epi8(x, quote); });
  // The common case in a notification: 64 bytes of the Base64 ciphertext.
  if (quotes == 0 && s.in_string) return true;
  std::uint64_t const inside = PrefixXor(quotes) ^ (s.in_string ? ~std::uint64_t{0} : 0);
  // '{' 0x7B and '[' 0x5B differ only in bit 0x20, as do '}' 0x7D and ']' 0x5D.
  __m128i const case_bit = _mm_set1_epi8(0x20);
  __m128i const open = _mm_set1_epi8('{');
  __m128i const close = _mm_set1_epi8('}');
  std::uint64_t const opens =
      BlockMask(v, [&](__m128i x) { return _mm_cmpeq_epi8(_mm_or_si128(x, case_bit), open); }) &
      ~inside;
  if (opens != 0 && s.depth + PopCount(opens) > max_nesting) return false;
  std::uint64_t const closes =
      BlockMask(v, [&](__m128i x) { return _mm_cmpeq_epi8(_mm_or_si128(x, case_bit), close); }) &
      ~inside;
  s.depth += PopCount(opens) - PopCount(closes);
  s.in_string = (inside >> 63) != 0;
  return true;
}
#endif

}  // namespace

std::string PreScanJson(std::string_view json, int max_nesting) {
  ScanState state;
  char const* const p = json.data();
  std::size_t const n = json.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  // 64 bytes at a time: a notification's transaction (~700 bytes, dozens of short strings) took
  // the byte scan 300 ns, a third of what RapidJSON then needs to parse it.
  for (; n - i >= kBlock; i += kBlock) {
    if (!ScanBlock(p + i, state, max_nesting)) {
      if (auto problem = ScanBytes(p + i, kBlock, state, max_nesting); !problem.empty()) {
        return problem;
      }
    }
  }
#endif
  return ScanBytes(p + i, n - i, state, max_nesting);
}

bool IsWellFormedUtf8(std::string_view text) noexcept { return ScanUtf8(text).valid; }

}  // namespace wechatpay::internal
