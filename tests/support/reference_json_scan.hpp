// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The library's NUL and nesting rules for JSON texts (json/json_reader.hpp) written as the
// plainest possible byte loop. The library enforces them through RapidJSON's parse and a walk of
// the parsed values; unit tests and fuzz targets check it against this one, which must
// therefore stay independent of the library's code.

#include <string>
#include <string_view>

namespace wechatpay::testing {

/// "" when `text` has no NUL byte and no bracket outside a string opening level
/// `max_nesting + 1`; otherwise the first of those problems in text order, worded exactly as
/// internal::JsonDocument::Parse() words it.
inline std::string ReferencePreScan(std::string_view text, int max_nesting) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (c == '\0') return "contains a NUL byte";
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
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

}  // namespace wechatpay::testing
