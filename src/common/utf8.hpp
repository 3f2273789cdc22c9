// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Strict UTF-8 inspection for the input rules (validation.cpp): well-formedness, and whether a
// 4-byte character occurs (WeChat Pay accepts only 1-3-byte characters), in one pass. Lengths are
// limited in bytes, as WeChat counts them; the code point count is for diagnostics.

#include <cstddef>
#include <string_view>

namespace wechatpay::internal {

/// What one pass over a byte string found.
struct Utf8Scan {
  /// True when the whole input is well-formed UTF-8 (Unicode Table 3-7: no overlong forms, no
  /// surrogates U+D800..U+DFFF, nothing above U+10FFFF, no truncated sequence).
  bool valid = true;
  /// Byte offset of the first ill-formed sequence; meaningful only when !valid.
  std::size_t error_offset = 0;
  /// Number of code points (of the well-formed prefix when !valid).
  std::size_t code_points = 0;
  /// True when a 4-byte sequence (U+10000 and above, e.g. emoji) occurs in the scanned part.
  bool has_four_byte = false;
};

/// Scans `text`; stops at the first ill-formed sequence.
Utf8Scan ScanUtf8(std::string_view text) noexcept;

}  // namespace wechatpay::internal
