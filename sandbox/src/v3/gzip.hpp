// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A gzip stream (RFC 1952) of a whole text, with zlib: what a bill download answers when it was
// applied for with tar_type=GZIP.

#include <string>
#include <string_view>

#include "wechatpay/status_or.hpp"

namespace wechatpay::sandbox::internal {

/// `data` compressed as one gzip member. Errors: kInternal when zlib fails.
StatusOr<std::string> Gzip(std::string_view data);

}  // namespace wechatpay::sandbox::internal
