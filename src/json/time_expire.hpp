// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The form of time_expire that goes on the wire. WeChat documents yyyy-MM-DDTHH:mm:ss+TIMEZONE
// (whole seconds), and the official Go SDK writes the deadline with Go's RFC 3339 layout, which
// drops any fraction of a second; this SDK sends the same text for the same instant
// (docs/protocol.md, "time_expire").

#include <string>
#include <string_view>

namespace wechatpay::internal {

/// `time_expire` without a fractional-seconds part: "2018-06-08T10:34:56.789+08:00" becomes
/// "2018-06-08T10:34:56+08:00" (cut, not rounded: the deadline never moves later). Purely
/// positional: a '.' at index 19 and the digits after it are removed, every other text is
/// returned unchanged (validation has already refused what is not RFC 3339).
std::string TimeExpireOnWire(std::string_view time_expire);

}  // namespace wechatpay::internal
