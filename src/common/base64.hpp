// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Standard Base64 (RFC 4648 §4) for signatures, ciphertexts and tokens. Internal: the public API
// takes and returns Base64 text where WeChat Pay does, and never needs the codec itself.

#include <string>
#include <string_view>

#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// Standard Base64 with `=` padding.
std::string Base64Encode(std::string_view bytes);

/// Decodes standard Base64: padding required, no whitespace, zero bits under the padding (one
/// canonical spelling per byte string). Errors: kInvalidArgument saying what is wrong.
StatusOr<std::string> Base64Decode(std::string_view text);

}  // namespace wechatpay::internal
