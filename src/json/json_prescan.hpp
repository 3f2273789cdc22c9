// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The checks every JSON text from the network passes before RapidJSON sees it, shared by the
// response, gateway and notification readers. They are on the hot path of every call and every
// notification, so they scan 16 bytes at a time (SSE2, every x86-64 has it) where they can.

#include <cstddef>
#include <string>
#include <string_view>

namespace wechatpay::internal {

/// The nesting bound of every JSON text the library reads. RapidJSON recurses once per level
/// when parsing and re-serialising, so a hostile body must not exhaust the stack; WeChat's
/// deepest documented object nests 5 levels, pay-common's answers about 7.
constexpr int kMaxJsonNesting = 64;

/// "" when `json` may be handed to RapidJSON, else why not: "contains a NUL byte" (RapidJSON
/// reads NUL as the end of the input, so "{}\0junk" would pass) or "nests deeper than
/// `max_nesting` levels" (RapidJSON recurses once per level; counted over brackets outside
/// strings). One pass.
std::string PreScanJson(std::string_view json, int max_nesting = kMaxJsonNesting);

/// True when `text` is well-formed UTF-8 (Unicode Table 3-7: no overlong forms, no surrogates,
/// nothing above U+10FFFF, no truncated sequence). ASCII runs are skipped 16 bytes at a time.
bool IsWellFormedUtf8(std::string_view text) noexcept;

}  // namespace wechatpay::internal
