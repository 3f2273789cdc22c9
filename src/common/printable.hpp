// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Text that came from the network (error bodies, header values, member names) on its way into
// an error message or a log line. Such text is not verified and may be hostile: CR/LF would
// forge log lines, ESC sequences would drive the reader's terminal, bidi controls would reorder
// what the reader sees, and a 100 KB message would flood the log.

#include <cstddef>
#include <string>
#include <string_view>

namespace wechatpay::internal {

/// Longest untrusted text put into a message by default: far more than any real WeChat Pay
/// error message (a few dozen characters) or Request-ID (about 40).
inline constexpr std::size_t kMaxUntrustedTextBytes = 512;

/// `text` made safe to print: well-formed UTF-8 is kept (WeChat's messages are Chinese), but
/// C0 and C1 control characters, DEL, U+2028/U+2029, the bidirectional controls (U+200E/F,
/// U+202A..U+202E, U+2066..U+2069) and every byte that is not well-formed UTF-8 are
/// written as \xNN escapes (the bytes of the sequence). Past `max_bytes` of input the text is
/// cut at a character boundary and "...(N bytes)" says how long it was. Text that needs no
/// change is returned as is.
std::string PrintableUntrusted(std::string_view text,
                               std::size_t max_bytes = kMaxUntrustedTextBytes);

/// How much of a setting's value QuoteForMessage() shows by default.
inline constexpr std::size_t kMaxQuotedBytes = 80;

/// A setting's value for an error message: PrintableUntrusted() of at most `max_bytes` of it,
/// in double quotes. Only for values that cannot be secrets (paths, ids, names); a secret is
/// never quoted, not even in part.
std::string QuoteForMessage(std::string_view value, std::size_t max_bytes = kMaxQuotedBytes);

}  // namespace wechatpay::internal
